//! Procuret places no id in a path: string ids go in the query string. Every operation taking a
//! string id, called with hostile ids, sends its request to its one fixed path with the id as the
//! query parameter's exact value, or refuses it before sending with `Error::InvalidInput` naming the
//! field (issue 15, item 3, checked for Procuret). A recording transport, no network.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use partner_core::bytes::Bytes;
use partner_core::clock::ManualClock;
use partner_core::error::TransportError;
use partner_core::transport::{HttpRequest, HttpResponse, Transport};
use partner_core::url::Url;
use procuret::{Client, Environment, Error, Lifecycle};

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Records every request's URL and answers 404, which is not retried.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<String>>,
}

impl Transport for Recorder {
    fn send(
        &self,
        request: HttpRequest,
        _max: usize,
    ) -> Boxed<'_, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push(request.uri().to_string());
        Box::pin(async {
            Ok(partner_core::http::Response::builder()
                .status(404)
                .header("content-type", "application/json")
                .body(Bytes::from_static(b"{}"))
                .unwrap())
        })
    }
}

type Call = fn(Client, String) -> Boxed<'static, Result<(), Error>>;

macro_rules! op {
    ($name:literal, $field:literal, $path:literal, $param:literal, |$c:ident, $id:ident| $call:expr) => {
        (
            $name,
            $field,
            $path,
            $param,
            (|$c, $id| Box::pin(async move { $call.send().await.map(drop) })) as Call,
        )
    };
}

#[tokio::test]
async fn hostile_ids_stay_in_the_query_value() {
    let operations = [
        op!(
            "instalment_links.get",
            "public_id",
            "/api/instalment-link",
            "public_id",
            |c, id| c.instalment_links().get(&id)
        ),
        op!(
            "commitments.get",
            "setup_id",
            "/api/commitment",
            "setup_id",
            |c, id| c.commitments().get(&id)
        ),
        op!(
            "term_rate_groups.get",
            "public_id",
            "/api/term-rate/group",
            "public_id",
            |c, id| c.term_rate_groups().get(&id)
        ),
        op!(
            "instalment_schedules.get",
            "series_id",
            "/api/instalment-schedule",
            "series_id",
            |c, id| c.instalment_schedules().get(&id)
        ),
    ];
    let mut ids: Vec<String> = [
        "", " ", ".", "..", "/", "?", "#", "&x=1", "%2F", "%2e%2e", "a\tb", "a\rb", "a\nb",
        "a\u{7f}b", "a\u{85}b", "../x", "a/b", "a?b=c", "a#b", "a b", "zoë", "+", "=",
    ]
    .map(String::from)
    .to_vec();
    ids.push("a".repeat(70_000));

    let recorder = Arc::new(Recorder::default());
    let client = Client::builder()
        .environment(Environment::custom("https://procuret.invalid/api").unwrap())
        .session(common::session(Lifecycle::LongLived))
        .clock(Arc::new(ManualClock::at_unix(common::NOW)))
        .transport(recorder.clone())
        .build()
        .unwrap();
    let mut mistakes = Vec::new();
    for (name, field, path, param, call) in operations {
        for id in &ids {
            let before = recorder.sent.lock().unwrap().len();
            let result = call(client.clone(), id.clone()).await;
            let sent = recorder.sent.lock().unwrap()[before..].to_vec();
            let shown = if id.len() > 40 {
                format!("{} chars", id.len())
            } else {
                format!("{id:?}")
            };
            for uri in &sent {
                let url = Url::parse(uri).unwrap();
                let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                if url.path() != path || pairs != [(param.to_owned(), id.clone())] {
                    mistakes.push(format!("{name} {shown}: sent {uri:.200}"));
                }
            }
            if sent.is_empty() {
                match result {
                    Err(Error::InvalidInput(input)) if input.field == field => {}
                    // A query value is not a path segment: an id too long for any request line is
                    // refused by the core's URL length check, which names the URL.
                    Err(Error::InvalidInput(input))
                        if input.field == "url" && id.len() > partner_core::path::MAX_URL_LEN => {}
                    other => mistakes.push(format!("{name} {shown}: nothing sent, yet {other:?}")),
                }
            }
            let must_refuse = id.trim().is_empty()
                || id.trim() != id
                || id.chars().any(char::is_control)
                || id.len() > 65_000;
            if sent.is_empty() != must_refuse {
                mistakes.push(format!("{name} {shown}: sent {} request(s)", sent.len()));
            }
        }
    }
    assert!(mistakes.is_empty(), "{}", mistakes.join("\n"));
}
