//! Term-rate groups.

mod common;

use httpmock::prelude::*;
use procuret::Decimal;
use serde_json::json;

#[tokio::test]
async fn get_decodes_a_group() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/term-rate/group")
                .query_param("public_id", "grp_1")
                .header("x-procuret-signature", common::signature("/term-rate/group"));
            then.status(200).json_body(json!({
                "public_id": "grp_1",
                "rates": [
                    {"supplier_entity_id": 589121125121i64, "periods": 12, "periods_in_year": "12"},
                    {"supplier_entity_id": 589121125121i64, "periods": 24, "periods_in_year": "12.0", "rate": "0.1"}
                ],
                "created": "2023-01-02 03:04:05.000006",
                "active": true,
                "disposition": null
            }));
        })
        .await;
    let group = common::signed(&server)
        .term_rate_groups()
        .get("grp_1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(group.rates.len(), 2);
    assert_eq!(group.rates[1].periods, 24);
    assert_eq!(group.rates[1].periods_in_year, Some(Decimal::from(12)));
    assert_eq!(group.active, Some(true));
    assert_eq!(
        group.created.unwrap().to_string(),
        "2023-01-02 03:04:05.000006"
    );
}

#[tokio::test]
async fn missing_group_is_not_found_and_empty_id_is_refused() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/api/term-rate/group");
            then.status(404).body("");
        })
        .await;
    let client = common::signed(&server);
    assert!(
        client
            .term_rate_groups()
            .get("gone")
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(client.term_rate_groups().get("").send().await.is_err());
    mock.assert_calls_async(1).await;
}
