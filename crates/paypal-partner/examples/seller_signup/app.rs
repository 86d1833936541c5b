//! The seller sign-up web application: routes, state, handlers and HTML.
//!
//! - `GET /` lists the sellers, each with a "Connect with PayPal" button;
//! - `POST /sellers/{id}/connect` creates a referral with the seller's tracking id and redirects the
//!   browser to PayPal's sign-up page (`action_url`);
//! - `GET /paypal/return?merchantId=...` is where PayPal sends the seller back. The query string is
//!   **not trusted**: it is only read to know which seller came back (`merchantId` is our tracking
//!   id); the merchant id and the readiness come from the API;
//! - `GET /sellers/{id}` asks the API again each time it is loaded.
//!
//! The HTML is rendered by pure functions of what the handlers gathered, with every interpolated
//! value escaped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use paypal_partner::merchant_integrations::{MerchantIntegration, MerchantLookup};
use paypal_partner::partner_core::url::Url;
use paypal_partner::referrals::{Feature, Product, ReferralRequest};
use paypal_partner::{Client, Error, ReturnParams};

/// The path PayPal sends sellers back to.
const RETURN_PATH: &str = "paypal/return";

/// A seller of the platform.
#[derive(Debug, Clone)]
pub(crate) struct Seller {
    /// Our id, in URLs.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Pre-fills PayPal's sign-up form.
    pub(crate) email: String,
    /// The id PayPal keeps for us in the referral, and our key to find the seller's merchant id.
    pub(crate) tracking_id: String,
}

impl Seller {
    fn new(id: &str, name: &str, email: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            email: email.to_owned(),
            // The seller's own id: stable, unique, ours. PayPal limits it to 127 characters.
            tracking_id: id.to_owned(),
        }
    }
}

/// Three demo sellers.
pub(crate) fn demo_sellers() -> Vec<Seller> {
    vec![
        Seller::new(
            "seller-ada",
            "Ada's Analytical Engines",
            "ada@sellers.example",
        ),
        Seller::new(
            "seller-grace",
            "Grace's Compilers & Co",
            "grace@sellers.example",
        ),
        Seller::new(
            "seller-linus",
            "Linus's Kernel Shop",
            "linus@sellers.example",
        ),
    ]
}

/// What we keep per seller. Everything else is asked from PayPal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Record {
    /// The `self` link of the last referral created for the seller.
    pub(crate) referral: Option<String>,
    /// The seller's PayPal merchant id, once the API reported it (never from the return URL).
    pub(crate) merchant_id: Option<String>,
}

/// What the API says about a seller's onboarding.
#[derive(Debug)]
pub(crate) enum Onboarding {
    /// No merchant account for the tracking id yet.
    Pending,
    /// The seller's status document.
    Found {
        merchant_id: String,
        status: Box<MerchantIntegration>,
    },
    /// The API could not be asked (the message is safe to show: no secrets in errors).
    Failed(String),
}

/// The application state.
#[derive(Debug)]
pub(crate) struct App {
    client: Client,
    return_url: String,
    sellers: Vec<Seller>,
    records: Mutex<HashMap<String, Record>>,
}

impl App {
    /// The application for `sellers`, reached by the browser at `public_url` (the return URL is
    /// `{public_url}/paypal/return`).
    ///
    /// # Errors
    ///
    /// `public_url` cannot hold a path.
    pub(crate) fn new(
        client: Client,
        public_url: &Url,
        sellers: Vec<Seller>,
    ) -> Result<Arc<Self>, Error> {
        let mut base = public_url.clone();
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let return_url = base
            .join(RETURN_PATH)
            .map_err(|e| Error::invalid_input("public_url", e.to_string()))?;
        Ok(Arc::new(Self {
            client,
            return_url: return_url.to_string(),
            sellers,
            records: Mutex::new(HashMap::new()),
        }))
    }

    /// The return URL given to PayPal in each referral.
    pub(crate) fn return_url(&self) -> &str {
        &self.return_url
    }

    fn records(&self) -> MutexGuard<'_, HashMap<String, Record>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What we know of the seller `id`.
    pub(crate) fn record(&self, id: &str) -> Record {
        self.records().get(id).cloned().unwrap_or_default()
    }

    fn seller(&self, id: &str) -> Option<&Seller> {
        self.sellers.iter().find(|s| s.id == id)
    }

    fn seller_by_tracking_id(&self, tracking_id: &str) -> Option<&Seller> {
        self.sellers.iter().find(|s| s.tracking_id == tracking_id)
    }

    /// Asks PayPal: the merchant id by tracking id (once known, it is kept), then the status document.
    async fn onboarding(&self, seller: &Seller) -> Onboarding {
        let api = self.client.merchant_integrations();
        let merchant_id = match self.record(&seller.id).merchant_id {
            Some(id) => id,
            None => match api.find_by_tracking_id(&seller.tracking_id).send().await {
                Ok(MerchantLookup::Found(found)) => {
                    self.records()
                        .entry(seller.id.clone())
                        .or_default()
                        .merchant_id = Some(found.merchant_id.to_string());
                    found.merchant_id.into_string()
                }
                Ok(MerchantLookup::Pending) => return Onboarding::Pending,
                Err(err) => return Onboarding::Failed(describe(&err)),
            },
        };
        match api.status(&merchant_id).send().await {
            Ok(status) => Onboarding::Found {
                merchant_id,
                status: Box::new(status),
            },
            Err(err) => Onboarding::Failed(describe(&err)),
        }
    }
}

/// The router.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(sellers_page))
        .route("/sellers/{id}", get(status_page))
        .route("/sellers/{id}/connect", post(connect))
        .route(&format!("/{RETURN_PATH}"), get(paypal_return))
        .with_state(app)
}

/// The referral for `seller`: the usual PPCP third-party integration, tied to the seller's tracking id.
///
/// # Errors
///
/// [`Error::InvalidInput`] when a value breaks PayPal's limits (a return URL over 127 characters).
pub(crate) fn referral_for(seller: &Seller, return_url: &str) -> Result<ReferralRequest, Error> {
    ReferralRequest::builder()
        .tracking_id(&seller.tracking_id)
        .email(&seller.email)
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url(return_url)
        .return_url_description("Back to the seller dashboard")
        .build()
}

fn describe(err: &Error) -> String {
    match err.request_id() {
        Some(debug_id) => format!("{err} (PayPal debug id {debug_id})"),
        None => err.to_string(),
    }
}

async fn sellers_page(State(app): State<Arc<App>>) -> Html<String> {
    let rows: Vec<(Seller, Record)> = app
        .sellers
        .iter()
        .map(|s| (s.clone(), app.record(&s.id)))
        .collect();
    Html(render_sellers(&rows))
}

async fn connect(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let Some(seller) = app.seller(&id) else {
        return unknown_seller();
    };
    let referral = match referral_for(seller, &app.return_url) {
        Ok(referral) => referral,
        Err(err) => return failure(StatusCode::INTERNAL_SERVER_ERROR, &describe(&err)),
    };
    let created = match app.client.referrals().create(&referral).send().await {
        Ok(created) => created,
        Err(err) => return failure(StatusCode::BAD_GATEWAY, &describe(&err)),
    };
    let action_url = match created.action_url() {
        Ok(url) => url,
        Err(err) => return failure(StatusCode::BAD_GATEWAY, &err.to_string()),
    };
    app.records().entry(seller.id.clone()).or_default().referral =
        created.self_url().map(str::to_owned);
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, action_url.to_string())],
    )
        .into_response()
}

async fn paypal_return(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    // Anyone can open this URL with any parameters: only the tracking id is read, to know whom to
    // ask the API about. `merchantIdInPayPal`, `permissionsGranted` & co. are ignored.
    let params = ReturnParams::from_query(query.as_deref().unwrap_or(""));
    let Some(tracking_id) = params.tracking_id else {
        return html(
            StatusCode::BAD_REQUEST,
            render_message("No seller", "The return link does not name a seller."),
        );
    };
    let Some(seller) = app.seller_by_tracking_id(tracking_id.as_str()) else {
        return unknown_seller();
    };
    let onboarding = app.onboarding(seller).await;
    status_response(&app, seller, &onboarding, Arrival::FromPayPal)
}

async fn status_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let Some(seller) = app.seller(&id) else {
        return unknown_seller();
    };
    let onboarding = app.onboarding(seller).await;
    status_response(&app, seller, &onboarding, Arrival::Direct)
}

fn status_response(
    app: &App,
    seller: &Seller,
    onboarding: &Onboarding,
    arrival: Arrival,
) -> Response {
    let status = match onboarding {
        Onboarding::Failed(_) => StatusCode::BAD_GATEWAY,
        _ => StatusCode::OK,
    };
    let record = app.record(&seller.id);
    html(status, render_status(seller, &record, onboarding, arrival))
}

fn unknown_seller() -> Response {
    html(
        StatusCode::NOT_FOUND,
        render_message(
            "Unknown seller",
            "There is no such seller on this platform.",
        ),
    )
}

fn failure(status: StatusCode, message: &str) -> Response {
    html(
        status,
        render_message("PayPal could not be reached", message),
    )
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// How the seller reached the status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// Back from PayPal's sign-up (the return URL).
    FromPayPal,
    /// Opened or refreshed.
    Direct,
}

/// Escapes text for HTML content and double- or single-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page; `title` is text, `body` is HTML built from escaped values.
fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.4}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.5em;text-align:left}}\
         button{{padding:.4em 1em}}.ready{{color:#080}}.not-ready{{color:#b00}}.pending{{color:#a60}}\
         .error{{color:#b00}}code{{background:#f3f3f3;padding:0 .2em}}</style></head>\n\
         <body>\n<p><a href=\"/\">All sellers</a></p>\n<h1>{title}</h1>\n{body}</body></html>\n",
        title = escape(title),
    )
}

/// A page with one message.
pub(crate) fn render_message(title: &str, message: &str) -> String {
    layout(title, &format!("<p>{}</p>\n", escape(message)))
}

/// The seller list.
pub(crate) fn render_sellers(sellers: &[(Seller, Record)]) -> String {
    let mut body = String::from(
        "<table>\n<tr><th>Seller</th><th>Tracking id</th><th>PayPal</th><th></th></tr>\n",
    );
    for (seller, record) in sellers {
        let state = match (&record.merchant_id, &record.referral) {
            (Some(merchant_id), _) => format!("merchant id <code>{}</code>", escape(merchant_id)),
            (None, Some(_)) => "sign-up link created".to_owned(),
            (None, None) => "not connected".to_owned(),
        };
        let id = escape(&seller.id);
        let _ = writeln!(
            body,
            "<tr id=\"row-{id}\"><td><a id=\"status-{id}\" href=\"/sellers/{id}\">{name}</a></td>\
             <td><code>{tracking}</code></td><td>{state}</td>\
             <td><form method=\"post\" action=\"/sellers/{id}/connect\">\
             <button type=\"submit\" id=\"connect-{id}\">Connect with PayPal</button></form></td></tr>",
            name = escape(&seller.name),
            tracking = escape(&seller.tracking_id),
        );
    }
    body.push_str("</table>\n");
    layout("Sellers", &body)
}

/// A seller's onboarding status, from the API.
pub(crate) fn render_status(
    seller: &Seller,
    record: &Record,
    onboarding: &Onboarding,
    arrival: Arrival,
) -> String {
    let id = escape(&seller.id);
    let mut body = String::new();
    if arrival == Arrival::FromPayPal {
        body.push_str("<p>Welcome back from PayPal. Here is what PayPal reports:</p>\n");
    }
    let _ = writeln!(
        body,
        "<p>Tracking id <code id=\"tracking-id\">{}</code></p>",
        escape(&seller.tracking_id)
    );
    let verdict = |class: &str, text: &str| {
        format!("<p>Status: <strong id=\"verdict\" class=\"{class}\">{text}</strong></p>\n")
    };
    match onboarding {
        Onboarding::Pending => {
            body.push_str(&verdict("pending", "pending"));
            body.push_str(if record.referral.is_some() {
                "<p>PayPal has not reported a merchant account for this seller yet. If the seller \
                 has just finished signing up, PayPal may take a moment: refresh this page.</p>\n"
            } else {
                "<p>This seller has not connected PayPal yet.</p>\n"
            });
        }
        Onboarding::Found {
            merchant_id,
            status,
        } => {
            let readiness = status.readiness();
            let _ = writeln!(
                body,
                "<p>PayPal merchant id <code id=\"merchant-id\">{}</code></p>",
                escape(merchant_id)
            );
            if readiness.can_take_payments() {
                body.push_str(&verdict("ready", "ready"));
            } else {
                body.push_str(&verdict("not-ready", "not ready"));
            }
            let _ = writeln!(
                body,
                "<p id=\"readiness\">{}</p>",
                escape(&readiness.to_string())
            );
            let reasons = readiness.reasons();
            if !reasons.is_empty() {
                body.push_str("<ul id=\"reasons\">\n");
                for reason in reasons {
                    let _ = writeln!(body, "<li>{}</li>", escape(&reason));
                }
                body.push_str("</ul>\n");
            }
            let flag = |v: Option<bool>| match v {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not reported",
            };
            let _ = writeln!(
                body,
                "<table>\n<tr><td>Payments receivable</td><td>{}</td></tr>\n\
                 <tr><td>Email confirmed</td><td>{}</td></tr>\n\
                 <tr><td>Permissions granted</td><td>{}</td></tr>\n</table>",
                flag(status.payments_receivable),
                flag(status.primary_email_confirmed),
                if status.granted_scopes().next().is_some() {
                    "yes"
                } else {
                    "no"
                },
            );
        }
        Onboarding::Failed(message) => {
            body.push_str(&verdict("error", "unknown"));
            let _ = writeln!(
                body,
                "<p class=\"error\">PayPal could not be asked: {}</p>",
                escape(message)
            );
        }
    }
    let _ = writeln!(
        body,
        "<p><a id=\"refresh\" href=\"/sellers/{id}\">Refresh</a></p>"
    );
    let ready = matches!(onboarding, Onboarding::Found { status, .. } if status.readiness().can_take_payments());
    if !ready {
        // A new link: for a seller who never finished, or who must grant the permissions again.
        let _ = writeln!(
            body,
            "<form method=\"post\" action=\"/sellers/{id}/connect\">\
             <button type=\"submit\" id=\"connect-{id}\">Connect with PayPal</button></form>"
        );
    }
    layout(&seller.name, &body)
}
