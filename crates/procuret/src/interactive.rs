//! Creating a session at a terminal, like the Python library's `Session.from_interactive_prompt`
//! (feature `interactive`).
//!
//! The prompts are read from any [`BufRead`] and written to any [`Write`], and the passphrase comes
//! from a function you supply (in a terminal program, one that does not echo, such as
//! `rpassword::prompt_password`), so the flow runs the same against scripted input in tests. See
//! `examples/interactive_session.rs` for the terminal program.

use std::io::{self, BufRead, Write};

use partner_core::SecretString;

use crate::client::Client;
use crate::enums::{Lifecycle, Perspective};
use crate::session::Session;
use crate::validate;

/// Why interactive session creation stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PromptError {
    /// Reading the answers or writing the prompts failed.
    #[error("terminal input/output failed: {0}")]
    Io(#[from] io::Error),
    /// The input ended before every question was answered.
    #[error("the input ended before {0} was given")]
    EndOfInput(&'static str),
    /// The same question was answered wrongly too many times.
    #[error("no valid {0} after {MAX_TRIES} tries")]
    TooManyTries(&'static str),
    /// Procuret refused, or the call failed.
    #[error(transparent)]
    Api(#[from] partner_core::Error),
}

const MAX_TRIES: usize = 3;

fn ask<R: BufRead, W: Write>(
    input: &mut R,
    output: &mut W,
    prompt: &str,
    what: &'static str,
) -> Result<String, PromptError> {
    write!(output, "{prompt}")?;
    output.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Err(PromptError::EndOfInput(what));
    }
    Ok(line.trim().to_owned())
}

fn ask_valid<R: BufRead, W: Write, T>(
    input: &mut R,
    output: &mut W,
    prompt: &str,
    what: &'static str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, PromptError> {
    for _ in 0..MAX_TRIES {
        let answer = ask(input, output, prompt, what)?;
        match parse(&answer) {
            Ok(value) => return Ok(value),
            Err(reason) => writeln!(output, "{reason}")?,
        }
    }
    Err(PromptError::TooManyTries(what))
}

fn parse_perspective(answer: &str) -> Result<Perspective, String> {
    match answer.parse::<i64>() {
        Ok(n @ 1..=7) => Ok(Perspective::from_i64(n)),
        _ => Err("Please enter a number from 1 to 7.".into()),
    }
}

fn parse_lifecycle(answer: &str) -> Result<Lifecycle, String> {
    match answer {
        "" | "2" => Ok(Lifecycle::LongLived),
        "1" => Ok(Lifecycle::ShortLived),
        _ => Err("Please enter 1 or 2.".into()),
    }
}

/// Asks for the perspective, lifecycle, email and passphrase, requests a second-factor code, asks
/// for it, and creates the session.
///
/// `read_passphrase` is called with the prompt text and must return the passphrase without echoing
/// it. Nothing secret is written to `output`.
///
/// # Errors
///
/// [`PromptError`]: input ended, answers invalid three times, terminal I/O failed, or Procuret
/// refused (a wrong passphrase or code).
pub async fn create_session_interactively<R, W, P>(
    client: &Client,
    input: &mut R,
    output: &mut W,
    mut read_passphrase: P,
) -> Result<Session, PromptError>
where
    R: BufRead,
    W: Write,
    P: FnMut(&str) -> io::Result<String>,
{
    writeln!(output, "\nInteractive Procuret session creation\n")?;
    writeln!(
        output,
        "*** A session is a credential. Store it only where no one else can read it. Never give it \
         or your passphrase to anyone, even someone who says they are from Procuret. ***\n"
    )?;
    writeln!(
        output,
        "Which perspective should the session have?\n  1 supplier\n  2 business (customer)\n  \
         3 administrator\n  4 sales\n  5 treasury\n  6 investor\n  7 customer support"
    )?;
    let perspective = ask_valid(
        input,
        output,
        "perspective: ",
        "the perspective",
        parse_perspective,
    )?;
    writeln!(
        output,
        "\nShould the session be long-lived (requests are signed; for programs that run for a long \
         time) or short-lived?\n  1 short-lived\n  2 long-lived (default)"
    )?;
    let lifecycle = ask_valid(
        input,
        output,
        "lifecycle [2]: ",
        "the lifecycle",
        parse_lifecycle,
    )?;
    writeln!(output, "\nNow your Procuret account credentials.")?;
    let email = ask_valid(input, output, "email: ", "the email", |answer| {
        validate::email("email", answer)
            .map(|()| answer.to_owned())
            .map_err(|_| "That does not look like an email address.".to_owned())
    })?;
    let mut passphrase = None;
    for _ in 0..MAX_TRIES {
        let entered = read_passphrase("passphrase: ")?;
        let entered = entered.trim_end_matches(['\r', '\n']);
        if entered.is_empty() {
            writeln!(output, "The passphrase must not be empty.")?;
            continue;
        }
        passphrase = Some(SecretString::from(entered));
        break;
    }
    let passphrase = passphrase.ok_or(PromptError::TooManyTries("the passphrase"))?;

    writeln!(output, "Requesting a second-factor code…")?;
    client
        .second_factor_code()
        .email(email.clone())
        .passphrase(passphrase.clone())
        .perspective(perspective)
        .send()
        .await?;
    writeln!(output, "Enter the code Procuret just sent for {email}.")?;
    let code = ask_valid(input, output, "code: ", "the code", |answer| {
        if answer.is_empty() {
            Err("The code must not be empty.".to_owned())
        } else {
            Ok(answer.to_owned())
        }
    })?;
    writeln!(output, "Creating the session…")?;
    let new_session = crate::NewSession::builder()
        .email(email)
        .passphrase(passphrase)
        .perspective(perspective)
        .lifecycle(lifecycle)
        .code(code)
        .build()?;
    let session = client.sessions().create(&new_session).send().await?;
    writeln!(output, "Session created with id {}.", session.session_id())?;
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers() {
        assert_eq!(parse_perspective("1"), Ok(Perspective::Supplier));
        assert_eq!(parse_perspective("7"), Ok(Perspective::CustomerSupport));
        assert!(parse_perspective("8").is_err());
        assert!(parse_perspective("x").is_err());
        assert_eq!(parse_lifecycle(""), Ok(Lifecycle::LongLived));
        assert_eq!(parse_lifecycle("1"), Ok(Lifecycle::ShortLived));
        assert!(parse_lifecycle("3").is_err());
    }
}
