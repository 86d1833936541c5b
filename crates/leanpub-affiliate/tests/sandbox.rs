//! End to end against `partner-sandbox`'s Leanpub affiliate simulator, through the real HTTP
//! transport: acknowledged requests, one error variant per service code, and the never-sent-twice rule
//! (429 retried, 5xx not).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leanpub_affiliate::{
    Acknowledgement, Client, DiscountRequest, Environment, Error, ErrorDetails, Recipient,
    RetryPolicy, ServiceCode, StatusCode, Timeouts, Url,
};
use partner_core::TransportError;
use partner_core::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
use partner_sandbox::leanpub::{
    PRODUCT_IDS, PRODUCTION_PARTNER_ID, PRODUCTION_PARTNER_ORIGIN, SANDBOX_PARTNER_ID,
    SANDBOX_PARTNER_ORIGINS, StatusMode,
};
use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};

/// The real transport, counting every attempt.
#[derive(Debug)]
struct Counting {
    inner: ReqwestTransport,
    attempts: Mutex<usize>,
    // The simulator's `scheme://authority`, replacing every request's (the path is kept).
    redirect: Option<Url>,
}

impl Counting {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: ReqwestTransport::new().unwrap(),
            attempts: Mutex::new(0),
            redirect: None,
        })
    }

    fn redirected_to(sandbox: &Sandbox) -> Self {
        Self {
            inner: ReqwestTransport::new().unwrap(),
            attempts: Mutex::new(0),
            redirect: Some(sandbox.leanpub().endpoint_url()),
        }
    }

    fn attempts(&self) -> usize {
        *self.attempts.lock().unwrap()
    }
}

impl Transport for Counting {
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>> {
        *self.attempts.lock().unwrap() += 1;
        let mut request = request;
        if let Some(target) = &self.redirect {
            let mut parts = request.uri().clone().into_parts();
            parts.scheme = Some(target.scheme().parse().unwrap());
            let authority = format!("{}:{}", target.host_str().unwrap(), target.port().unwrap());
            parts.authority = Some(authority.parse().unwrap());
            *request.uri_mut() = partner_core::http::Uri::from_parts(parts).unwrap();
        }
        self.inner.send(request, max_response_bytes)
    }
}

/// The client's environment: the directory of the endpoint, `http://127.0.0.1:PORT/api/v2/`.
fn local(sandbox: &Sandbox) -> Environment {
    let base: Url = sandbox.leanpub().endpoint_url().join(".").unwrap();
    Environment::Custom(base)
}

async fn send(client: &Client, request: &DiscountRequest) -> Result<Acknowledgement, Error> {
    client.discounts().request(request.clone()).send().await
}

fn details(err: &Error) -> &ErrorDetails {
    err.provider_details::<ErrorDetails>()
        .unwrap_or_else(|| panic!("no details: {err:?}"))
}

fn client(sandbox: &Sandbox, partner_id: &str, api_key: &str, transport: Arc<Counting>) -> Client {
    Client::builder()
        .api_key(api_key)
        .partner_id(partner_id)
        .environment(local(sandbox))
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(50)),
        )
        .transport(transport)
        .build()
        .unwrap()
}

async fn start() -> (Sandbox, Client, Arc<Counting>) {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(31)).await.unwrap();
    let counting = Counting::new();
    let client = client(
        &sandbox,
        SANDBOX_PARTNER_ID,
        sandbox.leanpub().api_key(),
        counting.clone(),
    );
    (sandbox, client, counting)
}

fn request(product_id: &str, origin: &str) -> DiscountRequest {
    DiscountRequest::builder()
        .product_id(product_id)
        .origin(origin)
        .transaction_id("order-1234")
        .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
        .build()
        .unwrap()
}

fn valid_request() -> DiscountRequest {
    request(PRODUCT_IDS[0], SANDBOX_PARTNER_ORIGINS[0])
}

#[tokio::test]
async fn a_sandbox_request_is_acknowledged_and_recorded() {
    let (sandbox, client, _) = start().await;
    assert_eq!(client.base_url().path(), "/api/v2/");

    let ack = send(&client, &valid_request()).await.unwrap();
    assert!(ack.sandbox_mode);
    assert_eq!(ack.http_status, StatusCode::OK);
    let request_id = ack.request_id.clone().unwrap();
    assert_eq!(ack.aws_request_id.as_deref(), Some(&*request_id));

    let accepted = sandbox.leanpub().accepted_requests();
    assert_eq!(accepted.len(), 1);
    let recorded = &accepted[0];
    assert_eq!(recorded.request_id, request_id);
    assert_eq!(recorded.partner_id, SANDBOX_PARTNER_ID);
    assert_eq!(recorded.product_id, PRODUCT_IDS[0]);
    assert_eq!(recorded.origin, SANDBOX_PARTNER_ORIGINS[0]);
    assert_eq!(recorded.transaction_id.as_deref(), Some("order-1234"));
    assert!(
        recorded.sandbox,
        "sandboxMode is true unless production is asked for"
    );
    assert_eq!(recorded.recipient.first_name, "Zoë");
    assert_eq!(recorded.recipient.last_name, "Ñúñez");
    assert_eq!(recorded.recipient.email, "zoe@example.com");
}

#[tokio::test]
async fn each_refusal_is_its_own_variant() {
    let (sandbox, client, counting) = start().await;

    let err = send(
        &client,
        &request(PRODUCT_IDS[0], "not-registered.example.com"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let reply = details(&err).reply().unwrap();
    assert_eq!(reply.code, ServiceCode::InvalidOrigin);
    assert_eq!(reply.http_status.as_u16(), 404);
    assert!(reply.request_id.is_some());
    assert!(!err.may_have_been_applied());

    let err = send(
        &client,
        &request("no-such-book", SANDBOX_PARTNER_ORIGINS[0]),
    )
    .await
    .unwrap_err();
    assert_eq!(
        details(&err).result_code(),
        Some(ServiceCode::InvalidProductId)
    );

    let wrong_key = client_with(&sandbox, SANDBOX_PARTNER_ID, "not-the-sandbox-key");
    let err = send(&wrong_key, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(
        details(&err).result_code(),
        Some(ServiceCode::InvalidApiKey)
    );
    assert!(!err.to_string().contains("not-the-sandbox-key"), "{err}");

    let unknown_partner = client_with(&sandbox, "no-such-partner", sandbox.leanpub().api_key());
    let err = send(&unknown_partner, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(
        details(&err).result_code(),
        Some(ServiceCode::InvalidPartnerId)
    );

    // One attempt each: a refusal is final.
    assert_eq!(counting.attempts(), 2);
    assert!(sandbox.leanpub().accepted_requests().is_empty());
}

fn client_with(sandbox: &Sandbox, partner_id: &str, api_key: &str) -> Client {
    client(sandbox, partner_id, api_key, Counting::new())
}

/// A production client whose requests, addressed to `https://leanpub.schams.net`, are delivered to
/// the simulator: production is reached only by naming it, so the test names it too.
fn production_client(sandbox: &Sandbox, partner_id: &str) -> Client {
    Client::builder()
        .api_key(sandbox.leanpub().api_key())
        .partner_id(partner_id)
        .environment(Environment::Production)
        .transport(Arc::new(Counting::redirected_to(sandbox)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn production_needs_a_production_ready_partner() {
    let (sandbox, _, _) = start().await;
    let production = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[1])
        .origin(SANDBOX_PARTNER_ORIGINS[1])
        .recipient(Recipient::new("Ann", "Lee", "ann@example.org"))
        .build()
        .unwrap();
    let restricted = production_client(&sandbox, SANDBOX_PARTNER_ID);
    let err = send(&restricted, &production).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(
        details(&err).result_code(),
        Some(ServiceCode::PermissionDenied)
    );
    assert!(sandbox.leanpub().accepted_requests().is_empty());

    let ready = production_client(&sandbox, PRODUCTION_PARTNER_ID);
    let production = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[1])
        .origin(PRODUCTION_PARTNER_ORIGIN)
        .recipient(Recipient::new("Ann", "Lee", "ann@example.org"))
        .build()
        .unwrap();
    let ack = send(&ready, &production).await.unwrap();
    assert!(!ack.sandbox_mode);
    let accepted = sandbox.leanpub().accepted_requests();
    assert_eq!(accepted.len(), 1);
    assert!(!accepted[0].sandbox);
    assert_eq!(accepted[0].transaction_id, None);
}

#[tokio::test]
async fn invalid_input_never_reaches_the_service() {
    let (sandbox, client, counting) = start().await;
    let err = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[0])
        .origin("shöp.example.com")
        .recipient(Recipient::new("Ann", "Lee", "ann@example.org"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[0])
        .origin(SANDBOX_PARTNER_ORIGINS[0])
        .recipient(Recipient::new("Ann", "Lee", "not-an-email"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let _ = client;
    assert_eq!(counting.attempts(), 0);
    assert!(sandbox.leanpub().accepted_requests().is_empty());
}

#[tokio::test]
async fn a_429_burst_is_retried_then_acknowledged() {
    let (sandbox, client, counting) = start().await;
    sandbox.faults().set(
        Provider::Leanpub,
        FaultConfig::new().throttle(2, Duration::from_secs(1)),
    );
    let ack = send(&client, &valid_request()).await.unwrap();
    assert!(ack.request_id.is_some());
    assert_eq!(counting.attempts(), 3, "two 429s, then the acknowledgement");
    assert_eq!(
        sandbox
            .faults()
            .effective(Provider::Leanpub)
            .throttle_count(),
        0
    );
    assert_eq!(sandbox.leanpub().accepted_requests().len(), 1);
}

#[tokio::test]
async fn a_502_is_not_retried() {
    let (sandbox, client, counting) = start().await;
    sandbox.faults().set(
        Provider::Leanpub,
        FaultConfig::new().error_rate(1.0).error_status(502),
    );
    let err = send(&client, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let gateway = details(&err).gateway().unwrap();
    assert_eq!(gateway.status, StatusCode::BAD_GATEWAY);
    assert_eq!(gateway.message, "Internal server error");
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    assert_eq!(
        counting.attempts(),
        1,
        "a 5xx is never followed by a second attempt"
    );
    assert!(sandbox.leanpub().accepted_requests().is_empty());

    // Once the gateway recovers, the same client goes through.
    sandbox.faults().clear_provider(Provider::Leanpub);
    send(&client, &valid_request()).await.unwrap();
    assert_eq!(counting.attempts(), 2);
    assert_eq!(sandbox.leanpub().accepted_requests().len(), 1);
}

#[tokio::test]
async fn service_codes_are_read_from_the_body_when_the_status_is_always_200() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .seed(32)
            .leanpub_status_mode(StatusMode::Always200),
    )
    .await
    .unwrap();
    let client = client_with(&sandbox, SANDBOX_PARTNER_ID, sandbox.leanpub().api_key());
    let err = send(
        &client,
        &request(PRODUCT_IDS[2], "not-registered.example.com"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let reply = details(&err).reply().unwrap();
    assert_eq!(reply.code, ServiceCode::InvalidOrigin);
    assert_eq!(reply.http_status, StatusCode::OK);
    let ack = send(
        &client,
        &request(PRODUCT_IDS[2], SANDBOX_PARTNER_ORIGINS[1]),
    )
    .await
    .unwrap();
    assert_eq!(ack.http_status, StatusCode::OK);
    assert_eq!(sandbox.leanpub().accepted_requests().len(), 1);
}

#[tokio::test]
async fn a_wrong_base_path_meets_the_gateway() {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(33)).await.unwrap();
    // The site root instead of `.../api/v2/`: API Gateway knows no such resource.
    let client = Client::builder()
        .api_key(sandbox.leanpub().api_key())
        .partner_id(SANDBOX_PARTNER_ID)
        .environment(Environment::Custom(sandbox.leanpub().base_url()))
        .build()
        .unwrap();
    let err = send(&client, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let gateway = details(&err).gateway().unwrap();
    assert_eq!(gateway.status, StatusCode::FORBIDDEN);
    assert!(gateway.is_missing_authentication_token(), "{gateway:?}");
    assert!(!err.may_have_been_applied());
    assert!(sandbox.leanpub().accepted_requests().is_empty());
}

#[tokio::test]
async fn a_dropped_connection_is_not_retried() {
    let (sandbox, client, counting) = start().await;
    sandbox
        .faults()
        .set(Provider::Leanpub, FaultConfig::new().drop_rate(1.0));
    let err = send(&client, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.may_have_been_applied());
    assert_eq!(counting.attempts(), 1);
}

#[tokio::test]
async fn a_timeout_is_not_retried() {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(34)).await.unwrap();
    let counting = Counting::new();
    let client = Client::builder()
        .api_key(sandbox.leanpub().api_key())
        .partner_id(SANDBOX_PARTNER_ID)
        .environment(local(&sandbox))
        .timeouts(Timeouts::default().attempt(Duration::from_millis(150)))
        .transport(counting.clone())
        .build()
        .unwrap();
    sandbox.faults().set(
        Provider::Leanpub,
        FaultConfig::new().latency(Duration::from_millis(400)),
    );
    let err = send(&client, &valid_request()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.may_have_been_applied());
    assert_eq!(counting.attempts(), 1);
    // The service applied it all the same (the answer was merely late): exactly why the client did
    // not send it again, and why it says "may have been applied".
    assert_eq!(sandbox.leanpub().accepted_requests().len(), 1);
}
