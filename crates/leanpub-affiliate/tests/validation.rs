//! Input the service's rules refuse never leaves the process: each case names its field, and the mock
//! (which would answer anything) sees no call.

mod common;

use common::{API_KEY, client, request, send};
use httpmock::prelude::*;
use leanpub_affiliate::{
    Client, DiscountRequest, DiscountRequestBuilder, Environment, Error, Recipient,
};

fn with_recipient(first: &str, last: &str, email: &str) -> DiscountRequestBuilder {
    request().recipient(Recipient::new(first, last, email))
}

fn cases() -> Vec<(&'static str, DiscountRequestBuilder, &'static str)> {
    vec![
        // ASCII fields: printable ASCII only.
        (
            "non-ASCII product id",
            request().product_id("thé-book"),
            "productId",
        ),
        (
            "emoji product id",
            request().product_id("book-😀"),
            "productId",
        ),
        (
            "control in product id",
            request().product_id("the\tbook"),
            "productId",
        ),
        (
            "non-ASCII origin",
            request().origin("shop.exämple.com"),
            "origin",
        ),
        (
            "en dash in transaction id",
            request().transaction_id("order–1"),
            "transactionId",
        ),
        (
            "newline in transaction id",
            request().transaction_id("order\n1"),
            "transactionId",
        ),
        // Required fields.
        (
            "missing product id",
            DiscountRequest::builder()
                .origin("shop.example.com")
                .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com")),
            "productId",
        ),
        (
            "missing origin",
            DiscountRequest::builder()
                .product_id("the-book")
                .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com")),
            "origin",
        ),
        (
            "missing recipient",
            DiscountRequest::builder()
                .product_id("the-book")
                .origin("shop.example.com"),
            "recipient",
        ),
        (
            "recipient without a first name",
            request().recipient(Recipient {
                last_name: "Ñúñez".into(),
                email: "zoe@example.com".into(),
                ..Recipient::default()
            }),
            "recipient.firstName",
        ),
        (
            "recipient without a last name",
            request().recipient(Recipient {
                first_name: "Zoë".into(),
                email: "zoe@example.com".into(),
                ..Recipient::default()
            }),
            "recipient.lastName",
        ),
        (
            "recipient without an email",
            request().recipient(Recipient {
                first_name: "Zoë".into(),
                last_name: "Ñúñez".into(),
                ..Recipient::default()
            }),
            "recipient.email",
        ),
        // Empty and blank strings.
        ("empty product id", request().product_id(""), "productId"),
        ("blank origin", request().origin("   "), "origin"),
        (
            "padded origin",
            request().origin(" shop.example.com"),
            "origin",
        ),
        (
            "empty transaction id",
            request().transaction_id(""),
            "transactionId",
        ),
        (
            "empty first name",
            with_recipient("", "Ñúñez", "zoe@example.com"),
            "recipient.firstName",
        ),
        (
            "blank last name",
            with_recipient("Zoë", " ", "zoe@example.com"),
            "recipient.lastName",
        ),
        (
            "empty email",
            with_recipient("Zoë", "Ñúñez", ""),
            "recipient.email",
        ),
        // Extended-ASCII fields: nothing beyond Latin-1, no controls.
        (
            "Polish first name",
            with_recipient("Łukasz", "Nowak", "lukasz@example.com"),
            "recipient.firstName",
        ),
        (
            "Chinese last name",
            with_recipient("Wei", "李", "wei@example.com"),
            "recipient.lastName",
        ),
        (
            "C1 control in a name",
            with_recipient("Zoë\u{85}", "Ñúñez", "zoe@example.com"),
            "recipient.firstName",
        ),
        (
            "newline in a name",
            with_recipient("Zoë", "Ñú\nñez", "zoe@example.com"),
            "recipient.lastName",
        ),
        (
            "non-Latin-1 email",
            with_recipient("Zoë", "Ñúñez", "łukasz@example.com"),
            "recipient.email",
        ),
        // Implausible emails.
        (
            "email without @",
            with_recipient("Zoë", "Ñúñez", "zoe.example.com"),
            "recipient.email",
        ),
        (
            "email without local part",
            with_recipient("Zoë", "Ñúñez", "@example.com"),
            "recipient.email",
        ),
        (
            "email without domain",
            with_recipient("Zoë", "Ñúñez", "zoe@"),
            "recipient.email",
        ),
        (
            "email without dot in domain",
            with_recipient("Zoë", "Ñúñez", "zoe@localhost"),
            "recipient.email",
        ),
        (
            "email with two @",
            with_recipient("Zoë", "Ñúñez", "zoe@@example.com"),
            "recipient.email",
        ),
        (
            "email with a space",
            with_recipient("Zoë", "Ñúñez", "zoe nunez@example.com"),
            "recipient.email",
        ),
        (
            "email with a double dot",
            with_recipient("Zoë", "Ñúñez", "zoe@example..com"),
            "recipient.email",
        ),
        (
            "email in angle brackets",
            with_recipient("Zoë", "Ñúñez", "<zoe@example.com>"),
            "recipient.email",
        ),
    ]
}

#[tokio::test]
async fn refused_input_names_its_field_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).json_body(common::reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    for (case, builder, field) in cases() {
        let result = async { send(&client, &builder.build()?).await }.await;
        match result {
            Err(Error::InvalidInput(input)) => {
                assert_eq!(input.field, field, "{case}: {input}");
                assert!(!input.reason.is_empty(), "{case}");
            }
            other => panic!("{case}: expected invalid `{field}`, got {other:?}"),
        }
    }

    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn latin1_names_and_plausible_emails_are_sent() {
    let server = MockServer::start_async().await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(common::PATH)
                .json_body_includes(r#"{"recipient": {"firstName": "Zoë Ñúñez", "lastName": "d'Ávila-Ærø", "email": "zoe.nunez+books@mail.example.co.uk"}}"#);
            then.status(200).json_body(common::reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    let request = with_recipient(
        "Zoë Ñúñez",
        "d'Ávila-Ærø",
        "zoe.nunez+books@mail.example.co.uk",
    )
    .transaction_id("order 1234 / A~Z")
    .build()
    .unwrap();
    send(&client, &request).await.unwrap();

    accepted.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_client_with_a_bad_partner_id_or_key_is_never_built() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).json_body(common::reply(0, "OK"));
        })
        .await;
    let local = Environment::custom(&server.url("/api/v2/")).unwrap();

    let cases = [
        (Client::builder().api_key(API_KEY), "partnerId"),
        (
            Client::builder().api_key(API_KEY).partner_id(""),
            "partnerId",
        ),
        (
            Client::builder().api_key(API_KEY).partner_id("Łódź-books"),
            "partnerId",
        ),
        (
            Client::builder().api_key(API_KEY).partner_id("a\u{7}b"),
            "partnerId",
        ),
        (Client::builder().partner_id("p"), "x-api-key"),
        (Client::builder().api_key(" ").partner_id("p"), "x-api-key"),
        (
            Client::builder().api_key("key with space").partner_id("p"),
            "x-api-key",
        ),
    ];
    for (builder, field) in cases {
        match builder.environment(local.clone()).build() {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field, "{input}"),
            other => panic!("expected invalid `{field}`, got {other:?}"),
        }
    }

    // Plain http to anything but loopback would put the key on the network in clear text.
    let remote = Client::builder()
        .api_key(API_KEY)
        .partner_id("p")
        .environment(Environment::Custom(
            "http://leanpub.schams.net/api/v2/".parse().unwrap(),
        ))
        .build();
    assert!(matches!(remote, Err(Error::InvalidInput(ref i)) if i.field == "environment"));

    anything.assert_calls_async(0).await;
}
