//! The HTTP client the simulators send webhooks with.

use std::sync::Arc;
use std::time::Duration;

/// One client for all simulators: a 10 s timeout, rustls on ring.
///
/// The workspace builds reqwest without a default crypto provider (the SDK chooses ring), so reqwest
/// would panic building its own TLS setup: it is given one here. Webhooks normally go to a loopback
/// `http://` receiver, so on a machine with no CA store the client trusts no root instead of failing.
///
/// # Errors
///
/// When the TLS setup or the client cannot be built.
pub(crate) fn http_client() -> std::io::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .tls_backend_preconfigured(tls_config()?)
        .build()
        .map_err(std::io::Error::other)
}

fn tls_config() -> std::io::Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?;
    let config = match rustls_platform_verifier::Verifier::new(provider) {
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier)),
        Err(_) => builder.with_root_certificates(rustls::RootCertStore::empty()),
    };
    Ok(config.with_no_client_auth())
}
