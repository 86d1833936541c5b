//! Creates a Procuret session at a terminal and prints it for safekeeping.
//!
//! ```text
//! PROCURET_ENVIRONMENT=demo cargo run -p procuret --example interactive_session > session.json
//! ```
//!
//! Prompts go to stderr and the session (JSON) to stdout, so redirecting stdout stores it without
//! showing it. The client comes from the environment (`Client::from_env`): `PROCURET_ENVIRONMENT`
//! is `production`, `demo` (the default) or an API root URL. stdin must be a terminal.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use procuret::Client;
use procuret::interactive::create_session_interactively;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    if !io::stdin().is_terminal() {
        eprintln!(
            "error: interactive_session must be run in a terminal (stdin is not a terminal).\n\
             It asks for your passphrase without echoing it, which needs a terminal. From a \
             program, create the session with `client.sessions().create(..)` instead."
        );
        return ExitCode::from(2);
    }
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    match client.environment().base_url() {
        Ok(base) => eprintln!("Procuret API: {base}"),
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    }
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut prompts = io::stderr();
    let result = create_session_interactively(&client, &mut input, &mut prompts, |prompt: &str| {
        rpassword::prompt_password(prompt)
    })
    .await;
    match result {
        Ok(session) => {
            let json = serde_json::to_string_pretty(&session).expect("a session serialises");
            eprintln!(
                "\nThe session follows on stdout as JSON. It is a credential: whoever holds it acts \
                 as you. Store it in a secret manager, or in a file only you can read \
                 (umask 077; chmod 600), never in source control. Restore it with \
                 `serde_json::from_str::<procuret::Session>(..)` and `Client::builder().session(..)`."
            );
            let mut stdout = io::stdout();
            if writeln!(stdout, "{json}").is_err() {
                eprintln!("error: could not write the session to stdout");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
