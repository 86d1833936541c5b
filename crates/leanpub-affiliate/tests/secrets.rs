//! The API key never shows in `Debug`, `Display` or errors.

mod common;

use common::{API_KEY, PATH, builder, client, request, send};
use httpmock::prelude::*;
use leanpub_affiliate::{Client, SecretString};
use serde_json::json;

fn assert_no_key(text: &str) {
    assert!(!text.contains(API_KEY), "the API key leaked: {text}");
    assert!(
        !text.contains("SUPER-SECRET"),
        "part of the API key leaked: {text}"
    );
}

#[tokio::test]
async fn debug_of_client_and_builder_redacts_the_key() {
    let server = MockServer::start_async().await;
    let debug_builder = format!("{:?}", builder(&server));
    assert_no_key(&debug_builder);
    assert!(debug_builder.contains("[REDACTED]"), "{debug_builder}");

    let client = client(&server);
    let debug_client = format!("{client:?} {client:#?}");
    assert_no_key(&debug_client);
    assert!(debug_client.contains("[REDACTED]"), "{debug_client}");
    assert!(debug_client.contains(common::PARTNER_ID), "{debug_client}");

    let from_secret = Client::builder().api_key(SecretString::from(API_KEY.to_owned()));
    assert_no_key(&format!("{from_secret:?}"));
}

#[tokio::test]
async fn errors_never_carry_the_key() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    let request = request().build().unwrap();
    let bodies = [
        (
            200,
            json!({"code": 403, "message": "Invalid API key", "requestId": "r"}),
        ),
        (403, json!({"message": "Forbidden"})),
        (429, json!({"message": "Too Many Requests"})),
        (200, json!({"unexpected": true})),
    ];
    for (status, body) in bodies {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(PATH);
                then.status(status).json_body(body.clone());
            })
            .await;
        let err = send(&client, &request).await.unwrap_err();
        assert_no_key(&format!("{err} | {err:?} | {err:#?}"));
        mock.delete_async().await;
    }

    // A key that cannot be a header value is refused without being quoted.
    let refused = Client::builder()
        .api_key(format!("{API_KEY}\n"))
        .partner_id("p")
        .build()
        .unwrap_err();
    assert_no_key(&format!("{refused} | {refused:?}"));
}
