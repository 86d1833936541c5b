//! The experimental portal API (feature `experimental-portal`).
#![cfg(feature = "experimental-portal")]

mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn ms_tenant_id_from_the_portal() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/p8p/api/v3/companies/c-1/msTenantId")
                .header("authorization", BEARER)
                .query_param_exists("t");
            then.status(200).json_body(
                json!({"tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "clientId": "c-1"}),
            );
        })
        .await;
    let tenant = client.portal().ms_tenant_id("c-1").send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(
        tenant.as_deref(),
        Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
    );
}

#[tokio::test]
async fn no_tenant_and_bad_input() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/p8p/api/v3/companies/c-2/msTenantId");
            then.status(200).json_body(json!({"tenantId": null}));
        })
        .await;
    assert_eq!(
        client.portal().ms_tenant_id("c-2").send().await.unwrap(),
        None
    );
    assert_invalid(client.portal().ms_tenant_id("").send().await, "company_id");
}
