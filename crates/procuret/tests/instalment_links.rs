//! Instalment links: create, list (pages and streams), get, open, customer URLs.

mod common;

use futures_util::TryStreamExt;
use httpmock::prelude::*;
use procuret::{
    CommunicationOption, Decimal, Denomination, EntityHeadline, EntityId, Environment, Error,
    InstalmentLinkMode, NewInstalmentLink, Order, OrderBy, SaleNomenclature,
};
use serde_json::json;

fn link(public_id: &str) -> serde_json::Value {
    let mut link = common::fixture("instalment_link.json");
    link["public_id"] = json!(public_id);
    link
}

#[tokio::test]
async fn create_sends_the_documented_body_signed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/instalment-link")
                .header("x-procuret-session-id", common::SESSION_ID.to_string())
                .header(
                    "x-procuret-signature",
                    common::signature("/instalment-link"),
                )
                .header("content-type", "application/json")
                .json_body(json!({
                    "supplier_id": 589121125121i64,
                    "invoice_amount": "1000",
                    "invitee_email": "noone@example.org",
                    "invoice_identifier": "INV-42",
                    "communicate": false,
                    "denomination": 2,
                    "nomenclature": 5,
                    "invitee_phone": "+64 21 555 0101",
                    "mode": 2
                }));
            then.status(200).json_body(link("abcDEF123"));
        })
        .await;
    let client = common::signed(&server);
    let created = client
        .instalment_links()
        .create(
            &procuret::NewInstalmentLink::builder()
                .supplier(&EntityHeadline::new(589121125121, "Acme"))
                .invoice_amount(Decimal::from_scientific("1E+3").unwrap())
                .invitee_email("noone@example.org")
                .invoice_identifier("INV-42")
                .communication(CommunicationOption::DoNotContact)
                .denomination(Denomination::Nzd)
                .nomenclature(SaleNomenclature::Quote)
                .invitee_phone("+64 21 555 0101")
                .mode(InstalmentLinkMode::PreApproval)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(created.public_id, "abcDEF123");
    assert_eq!(
        client
            .instalment_links()
            .customer_url(&created)
            .unwrap()
            .as_str(),
        format!("{}/b?il=abcDEF123", server.base_url())
    );
}

#[tokio::test]
async fn amounts_go_out_in_plain_notation() {
    let server = MockServer::start_async().await;
    let client = common::signed(&server);
    for (amount, wire) in [
        (Decimal::from(1000), "1000"),
        (Decimal::from_scientific("1E+3").unwrap(), "1000"),
        ("1000.00".parse::<Decimal>().unwrap(), "1000"),
        ("422.420".parse::<Decimal>().unwrap(), "422.42"),
        ("0.5".parse::<Decimal>().unwrap(), "0.5"),
    ] {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/api/instalment-link")
                    .body_includes(format!(r#""invoice_amount":"{wire}""#));
                then.status(200).json_body(link("x"));
            })
            .await;
        client
            .instalment_links()
            .create(
                &procuret::NewInstalmentLink::builder()
                    .supplier_id(1)
                    .invoice_amount(amount)
                    .invitee_email("a@b.co")
                    .invoice_identifier("I")
                    .communication(CommunicationOption::EmailCustomer)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        mock.assert_async().await;
        mock.delete_async().await;
    }
}

#[test]
fn new_link_is_validated_at_build() {
    let base = || {
        NewInstalmentLink::builder()
            .supplier_id(1)
            .invoice_amount(Decimal::new(1050, 2))
            .invitee_email("a@b.co")
            .invoice_identifier("INV-1")
            .communication(CommunicationOption::EmailCustomer)
    };
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let cases = [
        (base().invoice_amount(d("0")), "invoice_amount"),
        (base().invoice_amount(d("-5")), "invoice_amount"),
        (base().invoice_amount(d("10.005")), "invoice_amount"),
        (
            base()
                .denomination(Denomination::Nzd)
                .invoice_amount(d("1.001")),
            "invoice_amount",
        ),
        (base().invitee_email("no-at-sign"), "invitee_email"),
        (base().invoice_identifier(""), "invoice_identifier"),
        (base().invoice_identifier("  "), "invoice_identifier"),
        (base().supplier_id(0), "supplier_id"),
        (base().invitee_phone("call me"), "invitee_phone"),
        (
            NewInstalmentLink::builder()
                .supplier_id(1)
                .invoice_amount(d("1"))
                .invoice_identifier("I")
                .communication(CommunicationOption::EmailCustomer),
            "invitee_email",
        ),
        (
            NewInstalmentLink::builder()
                .supplier_id(1)
                .invoice_amount(d("1"))
                .invitee_email("a@b.co")
                .invoice_identifier("I"),
            "communication",
        ),
    ];
    for (request, field) in cases {
        match request.build() {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn create_is_never_retried() {
    let server = MockServer::start_async().await;
    for status in [429, 500, 503] {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/api/instalment-link");
                then.status(status)
                    .header("retry-after", "0")
                    .json_body(json!({"error-information": "try later", "response-code": status}));
            })
            .await;
        let err = common::signed(&server)
            .instalment_links()
            .create(
                &procuret::NewInstalmentLink::builder()
                    .supplier_id(1)
                    .invoice_amount(Decimal::ONE)
                    .invitee_email("a@b.co")
                    .invoice_identifier("I")
                    .communication(CommunicationOption::EmailCustomer)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn list_sends_filters_and_paging() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/instalment-link/list")
                .query_param("limit", "5")
                .query_param("offset", "10")
                .query_param("order", "descending")
                .query_param("order_by", "created")
                .query_param("opened", "false")
                .query_param("public_id", "a b&c")
                .query_param("supplier_id", "589121125121")
                .query_param("accessible_to", "7")
                .query_param("created_by", "8")
                .header(
                    "x-procuret-signature",
                    common::signature("/instalment-link/list"),
                );
            then.status(200).json_body(json!([link("a"), link("b")]));
        })
        .await;
    let page = common::signed(&server)
        .instalment_links()
        .list()
        .opened(false)
        .public_id("a b&c")
        .supplier_id(589121125121)
        .accessible_to(7)
        .created_by(8)
        .sort(OrderBy::Created, Order::Descending)
        .limit(5)
        .offset(10)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].public_id, "b");
}

#[tokio::test]
async fn list_defaults() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/instalment-link/list")
                .query_param("limit", "20")
                .query_param("offset", "0")
                .query_param("order", "ascending")
                .query_param("order_by", "created")
                .query_param_missing("opened")
                .query_param_missing("public_id");
            then.status(200).json_body(json!([]));
        })
        .await;
    let page = common::signed(&server)
        .instalment_links()
        .list()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn stream_walks_offsets_until_a_short_page() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (offset, ids) in [
        ("3", vec!["a", "b"]),
        ("5", vec!["c", "d"]),
        ("7", vec!["e"]),
    ] {
        let body = json!(ids.iter().map(|id| link(id)).collect::<Vec<_>>());
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path("/api/instalment-link/list")
                        .query_param("limit", "2")
                        .query_param("offset", offset)
                        .query_param("opened", "true");
                    then.status(200).json_body(body);
                })
                .await,
        );
    }
    let links: Vec<_> = common::signed(&server)
        .instalment_links()
        .list()
        .opened(true)
        .limit(2)
        .offset(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = links.iter().map(|l| l.public_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn stream_stops_after_an_empty_full_boundary_and_reports_errors() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/api/instalment-link/list")
                .query_param("offset", "0");
            then.status(200).json_body(json!([link("a")]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/api/instalment-link/list")
                .query_param("offset", "1");
            then.status(403)
                .json_body(json!({"error-information": "Not yours", "response-code": 403}));
        })
        .await;
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        common::signed(&server)
            .instalment_links()
            .list()
            .limit(1)
            .stream(),
    )
    .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().public_id, "a");
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(
        err.api_error().unwrap().message.as_deref(),
        Some("Not yours")
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

#[tokio::test]
async fn stream_validates_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        common::signed(&server)
            .instalment_links()
            .list()
            .limit(0)
            .stream(),
    )
    .await;
    assert!(matches!(&results[..], [Err(Error::InvalidInput(i))] if i.field == "limit"));
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn get_decodes_a_realistic_link() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/instalment-link")
                .query_param("public_id", "abcDEF123")
                .header(
                    "x-procuret-signature",
                    common::signature("/instalment-link"),
                );
            then.status(200).json_body(link("abcDEF123"));
        })
        .await;
    let link = common::signed(&server)
        .instalment_links()
        .get("abcDEF123")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(link.invoice_amount, "422.42".parse::<Decimal>().unwrap());
    assert_eq!(link.denomination, Some(Denomination::Aud));
    assert_eq!(
        link.supplier.as_ref().unwrap().entity_id,
        EntityId::new(589121125121)
    );
    assert_eq!(link.nomenclature, Some(SaleNomenclature::Invoice));
    assert_eq!(link.mode, Some(InstalmentLinkMode::Application));
    assert_eq!(link.created.unwrap().unix_timestamp(), 1_700_000_000);
    assert_eq!(
        link.opens[0].created.unwrap().to_string(),
        "2023-11-14 15:00:00.500000"
    );
    assert!(link.is_opened());
    assert_eq!(
        link.customer_url(&Environment::Production)
            .unwrap()
            .as_str(),
        "https://procuret.com/b?il=abcDEF123"
    );
}

#[tokio::test]
async fn unknown_enum_values_and_minimal_links_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/instalment-link/list");
            then.status(200).json_body(json!([
                {"public_id": "m", "invoice_amount": "5", "mode": 9, "sale_name": 77, "denomination_id": 3,
                 "invoice_identifier": null, "opens": []}
            ]));
        })
        .await;
    let links = common::signed(&server)
        .instalment_links()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(links.items[0].mode, Some(InstalmentLinkMode::Unknown(9)));
    assert_eq!(
        links.items[0].nomenclature,
        Some(SaleNomenclature::Unknown(77))
    );
    assert_eq!(links.items[0].denomination, Some(Denomination::Unknown(3)));
    assert_eq!(links.items[0].invoice_identifier, None);
    assert!(!links.items[0].is_opened());
}

#[tokio::test]
async fn get_of_a_missing_link_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/instalment-link");
            then.status(404)
                .json_body(json!({"error-information": "No such link", "response-code": 404}));
        })
        .await;
    let err = common::signed(&server)
        .instalment_links()
        .get("nope")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err.api_error().unwrap().message.as_deref(),
        Some("No such link")
    );
    assert_eq!(err.api_error().unwrap().code.as_deref(), Some("404"));
}

#[tokio::test]
async fn open_posts_the_link_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/instalment-link/open")
                .header(
                    "x-procuret-signature",
                    common::signature("/instalment-link/open"),
                )
                .json_body(json!({"link_id": "abcDEF123"}));
            then.status(200).body("");
        })
        .await;
    let client = common::signed(&server);
    client
        .instalment_links()
        .open("abcDEF123")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(client.instalment_links().open("").send().await.is_err());
    mock.assert_calls_async(1).await;
}
