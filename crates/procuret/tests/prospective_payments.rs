//! Price previews, with the misspelled `principle` parameter.

mod common;

use httpmock::prelude::*;
use procuret::{Cycle, Decimal, Denomination, Error};
use serde_json::json;

fn preview(periods: u32) -> serde_json::Value {
    json!({
        "payment": "105.33", "cycle": 1, "supplier_id": 589121125121i64, "periods": periods,
        "currency": {"indexid": 1, "name": "Australian Dollar", "iso_4217": "AUD", "exponent": 2, "symbol": "$"},
        "surprise": "tolerated"
    })
}

#[tokio::test]
async fn single_preview_without_a_session_is_unsigned() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/credit/prospective-payment")
                .query_param("cycle", "1")
                .query_param("supplier_id", "589121125121")
                .query_param("principle", "1000")
                .query_param("periods", "12")
                .query_param_missing("denomination")
                .query_param_missing("principal")
                .header_missing("x-procuret-session-id");
            then.status(200).json_body(preview(12));
        })
        .await;
    let payment = common::anonymous(&server)
        .prospective_payments()
        .get()
        .supplier_id(589121125121)
        .principal(Decimal::from_scientific("1E+3").unwrap())
        .periods(12)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(payment.payment, "105.33".parse::<Decimal>().unwrap());
    assert_eq!(payment.cycle, Some(Cycle::Advance));
    assert_eq!(payment.periods, 12);
    assert_eq!(payment.currency.unwrap().id, Denomination::Aud);
}

#[tokio::test]
async fn single_preview_with_a_session_is_signed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/credit/prospective-payment")
                .query_param("cycle", "2")
                .query_param("principle", "1500.5")
                .query_param("denomination", "2")
                .header(
                    "x-procuret-signature",
                    common::signature("/credit/prospective-payment"),
                );
            then.status(200).json_body(preview(6));
        })
        .await;
    common::signed(&server)
        .prospective_payments()
        .get()
        .supplier_id(1)
        .principal("1500.50".parse().unwrap())
        .periods(6)
        .cycle(Cycle::Arrears)
        .denomination(Denomination::Nzd)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn list_of_previews() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/credit/prospective-payment/list")
                .query_param("cycle", "1")
                .query_param("supplier_id", "9")
                .query_param("principle", "2500")
                .query_param("denomination", "1")
                .query_param_missing("periods");
            then.status(200)
                .json_body(json!([preview(3), preview(6), preview(12)]));
        })
        .await;
    let previews = common::anonymous(&server)
        .prospective_payments()
        .list()
        .supplier_id(9)
        .principal(Decimal::from(2500))
        .denomination(Denomination::Aud)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        previews.items.iter().map(|p| p.periods).collect::<Vec<_>>(),
        [3, 6, 12]
    );
}

#[tokio::test]
async fn previews_validate_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(preview(1));
        })
        .await;
    let client = common::anonymous(&server);
    let payments = client.prospective_payments();
    let results = [
        (
            payments
                .get()
                .principal(Decimal::ONE)
                .periods(1)
                .send()
                .await,
            "supplier_id",
        ),
        (
            payments.get().supplier_id(1).periods(1).send().await,
            "principal",
        ),
        (
            payments
                .get()
                .supplier_id(1)
                .principal(Decimal::ONE)
                .send()
                .await,
            "periods",
        ),
        (
            payments
                .get()
                .supplier_id(1)
                .principal(Decimal::ONE)
                .periods(0)
                .send()
                .await,
            "periods",
        ),
        (
            payments
                .get()
                .supplier_id(1)
                .principal("1.234".parse().unwrap())
                .periods(1)
                .send()
                .await,
            "principal",
        ),
    ];
    for (result, field) in results {
        match result {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    let list = payments
        .list()
        .supplier_id(1)
        .principal(-Decimal::ONE)
        .send()
        .await;
    assert!(matches!(list, Err(Error::InvalidInput(i)) if i.field == "principal"));
    mock.assert_calls_async(0).await;
}
