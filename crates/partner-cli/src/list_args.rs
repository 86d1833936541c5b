//! The flags every list command has, so that `--page`, `--page-size` and `--all` mean the same thing
//! under every provider.

use clap::Args;

/// Which part of a list to fetch.
#[derive(Debug, Clone, Args)]
pub(crate) struct ListArgs {
    /// The page to fetch (as the provider numbers them: Pax8 from 0, PayPal from 1).
    #[arg(long, conflicts_with = "all")]
    pub(crate) page: Option<u64>,
    /// Items per page (the provider's default when absent; each provider has a maximum).
    #[arg(long)]
    pub(crate) page_size: Option<u32>,
    /// Every item of every page, streamed (JSON lines with --json; a progress counter on a terminal).
    #[arg(long)]
    pub(crate) all: bool,
}
