//! Instalment schedules, as data and as PDF.

mod common;

use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn get_uses_series_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/instalment-schedule")
                .query_param("series_id", "ps_1")
                .query_param_missing("entity_id")
                .header("x-procuret-signature", common::signature("/instalment-schedule"));
            then.status(200).json_body(json!({
                "series_id": "ps_1",
                "has_interest": true,
                "lines": [{"sequence": 1, "amount": "100.00", "due": "2024-01-01"}, {"sequence": 2}],
                "total_row": {"amount": "200.00"},
                "later_field": 1
            }));
        })
        .await;
    let schedule = common::signed(&server)
        .instalment_schedules()
        .get("ps_1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        schedule.series_id.as_ref().map(|id| id.as_str()),
        Some("ps_1")
    );
    assert_eq!(schedule.has_interest, Some(true));
    assert_eq!(schedule.lines.len(), 2);
    assert_eq!(schedule.total_row.unwrap()["amount"], "200.00");
}

#[tokio::test]
async fn pdf_returns_the_bytes() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/instalment-schedule/pdf")
                .query_param("series_id", "ps_1")
                .header("accept", "application/pdf")
                .header(
                    "x-procuret-signature",
                    common::signature("/instalment-schedule/pdf"),
                );
            then.status(200)
                .header("content-type", "application/pdf")
                .body("%PDF-1.7 fake");
        })
        .await;
    let pdf = common::signed(&server)
        .instalment_schedules()
        .pdf("ps_1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(pdf.starts_with(b"%PDF"));
}

#[tokio::test]
async fn missing_schedule_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/instalment-schedule");
            then.status(404)
                .json_body(json!({"error-information": "none", "response-code": 404}));
        })
        .await;
    let err = common::signed(&server)
        .instalment_schedules()
        .get("ps_x")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}
