//! [`ClientCredentials`]: the OAuth2 client-credentials grant, in the two forms providers use.

use std::fmt;

use http::{HeaderValue, header};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::source::TokenSource;
use super::token::TokenKey;
use crate::error::Error;
use crate::request::Request;
use crate::scrub::Scrubber;
use crate::secret::Redacted;

/// How the client id and secret travel in a client-credentials request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// HTTP Basic auth and a form body `grant_type=client_credentials` (RFC 6749 §2.3.1; PayPal).
    BasicForm,
    /// A JSON body `{client_id, client_secret, grant_type, audience?}` (Pax8).
    JsonBody,
}

/// The OAuth2 client-credentials grant, in the two forms providers use.
///
/// ```
/// use partner_core::auth::ClientCredentials;
/// let source = ClientCredentials::json_body("https://api.pax8.com/v1/token".parse().unwrap(), "id", "secret".into())
///     .with_param("audience", "https://api.pax8.com");
/// assert!(!format!("{source:?}").contains("secret\""));
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    method: ClientAuthMethod,
    params: Vec<(String, String)>,
}

impl ClientCredentials {
    /// Basic auth + form body.
    pub fn basic_form(
        token_url: Url,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        Self {
            token_url,
            client_id: client_id.into(),
            client_secret,
            method: ClientAuthMethod::BasicForm,
            params: vec![],
        }
    }

    /// Credentials in a JSON body.
    pub fn json_body(
        token_url: Url,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        Self {
            token_url,
            client_id: client_id.into(),
            client_secret,
            method: ClientAuthMethod::JsonBody,
            params: vec![],
        }
    }

    /// Adds a request parameter (`audience`, `scope`...).
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The token URL.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The credentials of HTTP Basic auth: `base64(client_id:client_secret)`.
    fn basic_credentials(&self) -> String {
        use base64::Engine as _;
        let creds = format!("{}:{}", self.client_id, self.client_secret.expose_secret());
        base64::engine::general_purpose::STANDARD.encode(creds)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &Redacted)
            .field("method", &self.method)
            .field("params", &self.params)
            .finish()
    }
}

impl TokenSource for ClientCredentials {
    fn key(&self) -> TokenKey {
        TokenKey::new(self.token_url.as_str(), &self.client_id)
    }

    fn token_request(&self) -> Result<Request, Error> {
        let request = Request::post(self.token_url.clone())
            .header(header::ACCEPT, HeaderValue::from_static("application/json"));
        match self.method {
            ClientAuthMethod::BasicForm => {
                let mut pairs: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
                pairs.extend(self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let body = serde_urlencoded::to_string(&pairs)
                    .map_err(|e| Error::invalid_input("token_request", e.to_string()))?;
                let mut basic =
                    HeaderValue::from_str(&format!("Basic {}", self.basic_credentials())).map_err(
                        |_| Error::invalid_input("client_id", "is not a valid header value"),
                    )?;
                basic.set_sensitive(true);
                Ok(request
                    .body("application/x-www-form-urlencoded", body)
                    .header(header::AUTHORIZATION, basic))
            }
            ClientAuthMethod::JsonBody => {
                let mut map = serde_json::Map::new();
                map.insert("client_id".into(), self.client_id.clone().into());
                map.insert(
                    "client_secret".into(),
                    self.client_secret.expose_secret().into(),
                );
                map.insert("grant_type".into(), "client_credentials".into());
                for (k, v) in &self.params {
                    map.insert(k.clone(), v.clone().into());
                }
                Ok(request.json(&map)?)
            }
        }
    }

    fn register_secrets(&self, scrubber: &Scrubber) {
        scrubber.add(self.client_secret.expose_secret());
        if self.method == ClientAuthMethod::BasicForm {
            scrubber.add(&self.basic_credentials());
        }
    }
}
