//! Sessions: the second-factor code, session creation, and the [`Session`] credential itself.
//!
//! ```no_run
//! # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
//! use procuret::{Perspective, Lifecycle};
//! client.second_factor_code()
//!     .email("me@example.org")
//!     .passphrase("excellent passphrase")
//!     .perspective(Perspective::Supplier)
//!     .send().await?;
//! // … the code arrives by email or SMS …
//! let new_session = procuret::NewSession::builder()
//!     .email("me@example.org")
//!     .passphrase("excellent passphrase")
//!     .perspective(Perspective::Supplier)
//!     .code("123456")
//!     .lifecycle(Lifecycle::LongLived)
//!     .build()?;
//! let session = client.sessions().create(&new_session).send().await?;
//! let client = client.with_session(session)?;
//! # let _ = client; Ok(()) }
//! ```

use std::fmt;

use partner_core::request::RequestOptions;
use partner_core::secret::Redacted;
use partner_core::{DecodeError, Error, ExposeSecret, Request, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::client::Client;
use crate::enums::{Lifecycle, Perspective};
use crate::ids::AgentId;
use crate::validate;

/// An authenticated Procuret session: the credential every signed call uses.
///
/// **A session is a credential.** It is `Serialize`/`Deserialize` on purpose, so that a program can
/// store it and use it again without a new second-factor code; whoever reads the stored form can act
/// as the account until the session ends. Store it like a password: in a secret manager, or a file
/// readable only by its owner (see `docs/procuret.md`). Never log it. `Debug` redacts the api key.
///
/// The stored form is JSON: `{"session_id": 7212399413384927723, "api_key": "…", "lifecycle": 2,
/// "perspective": 1, "acting_for": null}`.
#[derive(Clone)]
pub struct Session {
    session_id: i64,
    api_key: SecretString,
    lifecycle: Lifecycle,
    perspective: Option<Perspective>,
    acting_for: Option<AgentId>,
}

impl Session {
    /// A session from its parts (for example read from your secret store).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `session_id` is negative (session ids are 63-bit) or the api key
    /// is empty or not printable ASCII.
    pub fn new(
        session_id: i64,
        api_key: SecretString,
        lifecycle: Lifecycle,
    ) -> Result<Self, Error> {
        if session_id < 0 {
            return Err(Error::invalid_input(
                "session_id",
                "must be a non-negative 63-bit integer",
            ));
        }
        let key = api_key.expose_secret();
        if key.is_empty() {
            return Err(Error::invalid_input("api_key", "must not be empty"));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_input(
                "api_key",
                "must be printable ASCII without spaces",
            ));
        }
        Ok(Self {
            session_id,
            api_key,
            lifecycle,
            perspective: None,
            acting_for: None,
        })
    }

    /// Reads a session saved by Procuret's Python library (`Session.save_to_file`): base64 of the
    /// JSON `{"session_id", "session_key", "api_key", "lifecycle", "perspective"}`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the text is not in that format (the text is not quoted back).
    pub fn from_python_storage_format(text: &str) -> Result<Self, Error> {
        use base64::Engine as _;
        #[derive(Deserialize)]
        struct PythonSession {
            session_id: i64,
            api_key: SecretString,
            lifecycle: Lifecycle,
            #[serde(default)]
            perspective: Option<Perspective>,
        }
        let bad = || {
            Error::invalid_input(
                "session",
                "is not a session saved by Procuret's Python library",
            )
        };
        let json = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| bad())?;
        let stored: PythonSession = serde_json::from_slice(&json).map_err(|_| bad())?;
        let session = Session::new(stored.session_id, stored.api_key, stored.lifecycle)?;
        Ok(match stored.perspective {
            Some(p) => session.with_perspective(p),
            None => session,
        })
    }

    /// Records the perspective the session was created with.
    pub fn with_perspective(mut self, perspective: Perspective) -> Self {
        self.perspective = Some(perspective);
        self
    }

    /// The same session acting for another agent: requests carry `x-procuret-forwarded-agent`.
    pub fn acting_for(mut self, agent_id: impl Into<AgentId>) -> Self {
        self.acting_for = Some(agent_id.into());
        self
    }

    /// The same session acting for itself again.
    pub fn acting_for_self(mut self) -> Self {
        self.acting_for = None;
        self
    }

    /// The session id.
    pub fn session_id(&self) -> i64 {
        self.session_id
    }

    /// The api key (the HMAC key of long-lived sessions, the raw credential of short-lived ones).
    pub fn api_key(&self) -> &SecretString {
        &self.api_key
    }

    /// The lifecycle, which decides how requests are authenticated.
    pub fn lifecycle(&self) -> Lifecycle {
        self.lifecycle
    }

    /// The perspective, when known.
    pub fn perspective(&self) -> Option<Perspective> {
        self.perspective
    }

    /// The agent this session acts for, if not itself.
    pub fn acting_for_agent(&self) -> Option<AgentId> {
        self.acting_for
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.session_id)
            .field("api_key", &Redacted)
            .field("lifecycle", &self.lifecycle)
            .field("perspective", &self.perspective)
            .field("acting_for", &self.acting_for)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct StoredSession<K> {
    session_id: i64,
    api_key: K,
    lifecycle: Lifecycle,
    #[serde(default)]
    perspective: Option<Perspective>,
    #[serde(default)]
    acting_for: Option<AgentId>,
}

/// Serialises the session **including its api key**: see the type's documentation.
impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredSession {
            session_id: self.session_id,
            api_key: self.api_key.expose_secret(),
            lifecycle: self.lifecycle,
            perspective: self.perspective,
            acting_for: self.acting_for,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredSession::<SecretString>::deserialize(deserializer)?;
        let mut session = Session::new(stored.session_id, stored.api_key, stored.lifecycle)
            .map_err(serde::de::Error::custom)?;
        session.perspective = stored.perspective;
        session.acting_for = stored.acting_for;
        Ok(session)
    }
}

/// Asks Procuret to send a second-factor code (`POST /second-factor-code`), the first step of
/// creating a session. The code goes to the account's email or phone; the answer carries nothing.
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SecondFactorCodeRequest {
    client: Client,
    email: Option<String>,
    agent_id: Option<AgentId>,
    passphrase: Option<SecretString>,
    perspective: Option<Perspective>,
    options: RequestOptions,
}

impl fmt::Debug for SecondFactorCodeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecondFactorCodeRequest")
            .field("email", &self.email)
            .field("agent_id", &self.agent_id)
            .field("passphrase", &self.passphrase.as_ref().map(|_| Redacted))
            .field("perspective", &self.perspective)
            .finish()
    }
}

#[derive(Serialize)]
struct SecondFactorBody<'a> {
    email: Option<&'a str>,
    plaintext_secret: &'a str,
    agent_id: Option<AgentId>,
    perspective: Option<Perspective>,
}

impl SecondFactorCodeRequest {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            email: None,
            agent_id: None,
            passphrase: None,
            perspective: None,
            options: RequestOptions::default(),
        }
    }

    partner_core::call_options!(options);

    /// The account's email address (or give [`agent_id`](Self::agent_id)).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The account's agent id, instead of the email.
    pub fn agent_id(mut self, agent_id: impl Into<AgentId>) -> Self {
        self.agent_id = Some(agent_id.into());
        self
    }

    /// The account's passphrase (sent as `plaintext_secret`).
    pub fn passphrase(mut self, passphrase: impl Into<SecretString>) -> Self {
        self.passphrase = Some(passphrase.into());
        self
    }

    /// The perspective the session will have.
    pub fn perspective(mut self, perspective: Perspective) -> Self {
        self.perspective = Some(perspective);
        self
    }

    /// Sends the request. It is not retried once it may have reached Procuret (each one sends a
    /// code).
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending when neither email nor agent id is given, the email is
    /// malformed or the passphrase is missing; the API's refusal otherwise.
    pub async fn send(self) -> Result<(), Error> {
        if self.email.is_none() && self.agent_id.is_none() {
            return Err(Error::invalid_input(
                "email",
                "give the account's email or agent id",
            ));
        }
        if let Some(email) = &self.email {
            validate::email("email", email)?;
        }
        if let Some(agent_id) = self.agent_id {
            validate::id("agent_id", agent_id.get())?;
        }
        let passphrase = validate::passphrase(self.passphrase.as_ref())?;
        // Kept out of this call's errors, should Procuret (or a proxy) quote the request.
        let _passphrase = self.client.scrubber().scope(passphrase);
        let body = SecondFactorBody {
            email: self.email.as_deref(),
            plaintext_secret: passphrase,
            agent_id: self.agent_id,
            perspective: self.perspective,
        };
        let request = Request::post(self.client.endpoint("second-factor-code"))
            .without_auth()
            .json(&body)?
            .options(&self.options);
        self.client.execute(request).await?;
        Ok(())
    }
}

/// Session operations, from [`Client::sessions`].
#[derive(Debug, Clone)]
pub struct Sessions {
    client: Client,
}

impl Sessions {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates a session (`POST /session`) with a second-factor code, from a body checked by
    /// [`NewSessionBuilder::build`].
    pub fn create(&self, session: &NewSession) -> CreateSession {
        CreateSession {
            client: self.client.clone(),
            body: session.clone(),
            options: RequestOptions::default(),
        }
    }
}

/// The body of `POST /session`, checked when built. It holds the passphrase and the code, which
/// `Debug` redacts.
#[derive(Clone)]
pub struct NewSession {
    email: String,
    passphrase: SecretString,
    perspective: Perspective,
    lifecycle: Lifecycle,
    code: SecretString,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("email", &self.email)
            .field("passphrase", &Redacted)
            .field("perspective", &self.perspective)
            .field("lifecycle", &self.lifecycle)
            .field("code", &Redacted)
            .finish()
    }
}

impl NewSession {
    /// A builder; [`build`](NewSessionBuilder::build) checks every field.
    pub fn builder() -> NewSessionBuilder {
        NewSessionBuilder {
            email: None,
            passphrase: None,
            perspective: None,
            lifecycle: Lifecycle::LongLived,
            code: None,
        }
    }
}

/// Builds a [`NewSession`].
#[derive(Clone)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct NewSessionBuilder {
    email: Option<String>,
    passphrase: Option<SecretString>,
    perspective: Option<Perspective>,
    lifecycle: Lifecycle,
    code: Option<SecretString>,
}

impl fmt::Debug for NewSessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSessionBuilder")
            .field("email", &self.email)
            .field("passphrase", &self.passphrase.as_ref().map(|_| Redacted))
            .field("perspective", &self.perspective)
            .field("lifecycle", &self.lifecycle)
            .field("code", &self.code.as_ref().map(|_| Redacted))
            .finish()
    }
}

impl NewSessionBuilder {
    /// The account's email address (required).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The account's passphrase (required; sent as `secret`).
    pub fn passphrase(mut self, passphrase: impl Into<SecretString>) -> Self {
        self.passphrase = Some(passphrase.into());
        self
    }

    /// The session's perspective (required).
    pub fn perspective(mut self, perspective: Perspective) -> Self {
        self.perspective = Some(perspective);
        self
    }

    /// The session's lifecycle (default [`Lifecycle::LongLived`], as in Procuret's Python library).
    pub fn lifecycle(mut self, lifecycle: Lifecycle) -> Self {
        self.lifecycle = lifecycle;
        self
    }

    /// The second-factor code Procuret sent (required).
    pub fn code(mut self, code: impl Into<SecretString>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Checks the fields and builds the body.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first missing or malformed field (never quoting a
    /// secret).
    pub fn build(self) -> Result<NewSession, Error> {
        let email = self
            .email
            .ok_or_else(|| Error::invalid_input("email", "is required"))?;
        validate::email("email", &email)?;
        validate::passphrase(self.passphrase.as_ref())?;
        let passphrase = self
            .passphrase
            .ok_or_else(|| Error::invalid_input("passphrase", "is required"))?;
        let perspective = self
            .perspective
            .ok_or_else(|| Error::invalid_input("perspective", "is required"))?;
        let code = self
            .code
            .map(|c| SecretString::from(c.expose_secret().trim()))
            .filter(|c| !c.expose_secret().is_empty())
            .ok_or_else(|| Error::invalid_input("code", "is required"))?;
        Ok(NewSession {
            email,
            passphrase,
            perspective,
            lifecycle: self.lifecycle,
            code,
        })
    }
}

/// Sends `POST /session`, from [`Sessions::create`].
#[must_use = "a request does nothing until `.send()` is awaited"]
#[derive(Debug)]
pub struct CreateSession {
    client: Client,
    body: NewSession,
    options: RequestOptions,
}

#[derive(Serialize)]
struct CreateSessionBody<'a> {
    email: &'a str,
    secret: &'a str,
    perspective: Perspective,
    lifecycle: Lifecycle,
    code: &'a str,
}

#[derive(Deserialize)]
struct SessionResponse {
    session_id: i64,
    api_key: SecretString,
    #[serde(default)]
    lifecycle: Option<Lifecycle>,
    #[serde(default)]
    perspective: Option<Perspective>,
}

impl CreateSession {
    partner_core::call_options!(options);

    /// Creates the session. Not sent again once it may have reached Procuret: on an error for
    /// which [`may_have_been_applied()`](Error::may_have_been_applied) is true, ask for a new code.
    ///
    /// # Errors
    ///
    /// The API's refusal (a wrong code is usually 401 or 422); [`Error::Decode`] when the answer is
    /// not a session (the body is not quoted, as it holds the key).
    pub async fn send(self) -> Result<Session, Error> {
        let NewSession {
            email,
            passphrase,
            perspective,
            lifecycle,
            code,
        } = &self.body;
        let (passphrase, code) = (passphrase.expose_secret(), code.expose_secret());
        // Kept out of this call's errors, should Procuret (or a proxy) quote the request. A
        // six-digit code is short, but it is a secret for as long as this call lasts.
        let scrubber = self.client.scrubber();
        let _passphrase = scrubber.scope(passphrase);
        let _code = scrubber.scope(code);
        let body = CreateSessionBody {
            email,
            secret: passphrase,
            perspective: *perspective,
            lifecycle: *lifecycle,
            code,
        };
        let request = Request::post(self.client.endpoint("session"))
            .without_auth()
            .json(&body)?
            .options(&self.options);
        let response = self.client.execute(request).await?;
        let parsed: SessionResponse =
            DecodeError::decode_json(&response.body, Some(response.status))
                .map_err(|e| scrubber.scrub_error(Error::from(e.without_snippet())))?;
        let session = Session::new(
            parsed.session_id,
            parsed.api_key,
            parsed.lifecycle.unwrap_or(*lifecycle),
        )?;
        Ok(session.with_perspective(parsed.perspective.unwrap_or(*perspective)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_key() {
        let session = Session::new(42, "very-secret-key".into(), Lifecycle::LongLived).unwrap();
        let debug = format!("{session:?}");
        assert!(!debug.contains("very-secret-key"), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
    }

    #[test]
    fn stores_and_restores() {
        let session = Session::new(7212399413384927723, "k3y".into(), Lifecycle::ShortLived)
            .unwrap()
            .with_perspective(Perspective::Supplier)
            .acting_for(99);
        let json = serde_json::to_string(&session).unwrap();
        assert_eq!(
            json,
            r#"{"session_id":7212399413384927723,"api_key":"k3y","lifecycle":1,"perspective":1,"acting_for":99}"#
        );
        let back: Session = serde_json::from_str(&json).unwrap();
        assert_eq!(back.session_id(), session.session_id());
        assert_eq!(back.api_key().expose_secret(), "k3y");
        assert_eq!(back.lifecycle(), Lifecycle::ShortLived);
        assert_eq!(back.perspective(), Some(Perspective::Supplier));
        assert_eq!(back.acting_for_agent(), Some(AgentId::new(99)));
        let minimal: Session =
            serde_json::from_str(r#"{"session_id":1,"api_key":"k","lifecycle":2}"#).unwrap();
        assert_eq!(minimal.acting_for_agent(), None);
    }

    #[test]
    fn reads_the_python_storage_format() {
        use base64::Engine as _;
        let json = r#"{"session_id": 7212399413384927723, "session_key": "sk", "api_key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "lifecycle": 2, "perspective": 1}"#;
        let stored = base64::engine::general_purpose::STANDARD.encode(json);
        let session = Session::from_python_storage_format(&format!("{stored}\n")).unwrap();
        assert_eq!(session.session_id(), 7212399413384927723);
        assert_eq!(
            session.api_key().expose_secret(),
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"
        );
        assert_eq!(session.lifecycle(), Lifecycle::LongLived);
        assert_eq!(session.perspective(), Some(Perspective::Supplier));
        let err = Session::from_python_storage_format("bm90IGpzb24=").unwrap_err();
        assert!(!err.to_string().contains("not json"));
        assert!(Session::from_python_storage_format("%%%").is_err());
    }

    #[test]
    fn rejects_bad_parts() {
        assert!(Session::new(-1, "k".into(), Lifecycle::LongLived).is_err());
        assert!(Session::new(1, "".into(), Lifecycle::LongLived).is_err());
        assert!(Session::new(1, "a b".into(), Lifecycle::LongLived).is_err());
        assert!(
            serde_json::from_str::<Session>(r#"{"session_id":1,"api_key":"","lifecycle":2}"#)
                .is_err()
        );
    }
}
