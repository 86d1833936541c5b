//! `partner procuret login` and `logout`: the interactive two-factor sign-in, and the sealed
//! session it leaves in the config directory.

use std::io::{self, IsTerminal, Write};

use clap::Args;
use partner_sandbox::procuret::ProcuretSandbox;
use procuret::interactive::{PromptError, create_session_interactively};
use procuret::{Client, EntityId, Session};

use super::session_store::{SessionStore, StoredSession};
use super::{entity_id, environment_of};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// `partner procuret login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// The supplier entity the account acts for (e.g. 589121125121), kept with the session as the
    /// default --entity-id of `link create` (Procuret's session answer does not say it).
    #[arg(long, value_parser = entity_id)]
    entity_id: Option<EntityId>,
}

pub(crate) async fn login(ctx: &Ctx, args: LoginArgs) -> CliResult {
    if !io::stdin().is_terminal() {
        return Err(CliError::invalid(
            "`partner procuret login` must be run in a terminal (stdin is not one): it asks for \
             the passphrase without echo. From a script, set PROCURET_SESSION_ID and \
             PROCURET_SESSION_SECRET instead",
        ));
    }
    let client = ctx.procuret_builder().build()?;
    let environment = environment_of(&client)?;

    let Some(sandbox) = ctx.sandbox() else {
        // Checked before anything is asked or sent: a bad profile name or PARTNER_SESSION_KEY.
        let store = SessionStore::new(ctx.config_dir(), ctx.profile_name())?;
        store.check_key()?;
        ctx.out.note(&format!("Procuret API: {environment}"));
        let session = prompt(&client, &mut io::stderr()).await?;
        let session_id = session.session_id();
        store.save(&StoredSession {
            environment: environment.clone(),
            entity_id: args.entity_id,
            session,
        })?;
        ctx.out.note(&format!(
            "Signed in: session {session_id} for {environment}, stored encrypted in {}",
            store.path().display()
        ));
        if ctx.setting("PROCURET_SESSION_ID").is_some() {
            ctx.out.note(
                "PROCURET_SESSION_ID is set: commands use the session it names, not this one, \
                 until it is unset",
            );
        }
        return Ok(());
    };

    let procuret = sandbox.procuret();
    let account = procuret.credentials();
    ctx.out.note(&format!(
        "Sandbox: sign in with perspective 1, email {} and passphrase {} (public sandbox values); \
         the code is shown when the simulator sends it.",
        account.email, account.secret
    ));
    let mut prompts = SandboxCodeHint::new(io::stderr(), procuret.clone());
    let session = prompt(&client, &mut prompts).await?;
    ctx.out.note(&format!(
        "Signed in to the in-process sandbox (session {}). A --sandbox session is not stored: \
         it ends with this command.",
        session.session_id()
    ));
    Ok(())
}

/// The crate's terminal flow: prompts on `prompts`, answers from stdin, the passphrase without
/// echo.
async fn prompt<W: Write>(client: &Client, prompts: &mut W) -> CliResult<Session> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    create_session_interactively(client, &mut input, prompts, |prompt: &str| {
        rpassword::prompt_password(prompt)
    })
    .await
    .map_err(|err| match err {
        PromptError::Api(err) => err.into(),
        PromptError::Io(err) => CliError::other(format!("terminal input/output failed: {err}")),
        err @ (PromptError::EndOfInput(_) | PromptError::TooManyTries(_)) => {
            CliError::invalid(format!("not signed in: {err}"))
        }
        err => CliError::other(format!("not signed in: {err}")),
    })
}

/// Under --sandbox nobody receives the code by email, so the prompts are followed by the code the
/// simulator "sent", after the line that asks for it.
struct SandboxCodeHint<W> {
    inner: W,
    procuret: ProcuretSandbox,
    line: Vec<u8>,
}

impl<W: Write> SandboxCodeHint<W> {
    fn new(inner: W, procuret: ProcuretSandbox) -> Self {
        Self {
            inner,
            procuret,
            line: Vec::new(),
        }
    }

    /// The hint for a finished line, when it asks for the code of a sandbox account.
    fn hint(&self, line: &str) -> Option<String> {
        if !line.starts_with("Enter the code") {
            return None;
        }
        self.procuret
            .accounts()
            .iter()
            .filter(|account| line.contains(account.email))
            .find_map(|account| self.procuret.last_second_factor_code(account.email))
            .map(|code| format!("(sandbox: the code is {code})\n"))
    }
}

impl<W: Write> Write for SandboxCodeHint<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        for &byte in &buf[..written] {
            if byte == b'\n' {
                let line = String::from_utf8_lossy(&self.line).into_owned();
                self.line.clear();
                if let Some(hint) = self.hint(&line) {
                    self.inner.write_all(hint.as_bytes())?;
                }
            } else {
                self.line.push(byte);
            }
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub(crate) fn logout(ctx: &Ctx) -> CliResult {
    if ctx.sandbox().is_some() {
        ctx.out
            .note("--sandbox sessions are never stored: there is nothing to forget");
        return Ok(());
    }
    let store = SessionStore::new(ctx.config_dir(), ctx.profile_name())?;
    if store.remove()? {
        ctx.out.note(&format!(
            "Signed out: deleted the stored session of profile `{}` ({})",
            ctx.profile_name(),
            store.path().display()
        ));
    } else {
        ctx.out.note(&format!(
            "There was no stored session for profile `{}`: nothing to delete",
            ctx.profile_name()
        ));
    }
    if ctx.setting("PROCURET_SESSION_ID").is_some() {
        ctx.out
            .note("PROCURET_SESSION_ID is still set: commands keep using the session it names");
    }
    Ok(())
}
