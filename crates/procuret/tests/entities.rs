//! Entity, human, commitment and Xero lookups.

mod common;

use httpmock::prelude::*;
use procuret::{AgentId, EntityIdType, Error, HumanId};
use serde_json::json;

#[tokio::test]
async fn entity_lookup() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/entity")
                .query_param("entity_id", "589121125121")
                .header("x-procuret-signature", common::signature("/entity"));
            then.status(200).json_body(json!({
                "public_id": 589121125121i64,
                "public_id_short": "AbC12",
                "entity_identifiers": [
                    {"identifier": "51824753556", "identifier_type": 1},
                    {"identifier": "9429041000000", "id_type": 3},
                    {"identifier": "123", "identifier_type": 42}
                ],
                "legal_entity_name": "Acme Supplies Pty Ltd",
                "business_address": {"line1": "1 George St", "postal_code": "2000"},
                "disposition": {"sequence": 0, "count": 1, "limit": 1, "offset": 0},
                "brand": {"colour": "red"}
            }));
        })
        .await;
    let entity = common::signed(&server)
        .entities()
        .get(589121125121)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        entity.legal_entity_name.as_deref(),
        Some("Acme Supplies Pty Ltd")
    );
    let types: Vec<_> = entity
        .entity_identifiers
        .iter()
        .map(|i| i.identifier_type)
        .collect();
    assert_eq!(
        types,
        [
            EntityIdType::Abn,
            EntityIdType::Nzbn,
            EntityIdType::Unknown(42)
        ]
    );
    assert_eq!(entity.disposition.unwrap().count, Some(1));
}

#[tokio::test]
async fn human_lookup() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/human")
                .query_param("human_id", "31")
                .header("x-procuret-signature", common::signature("/human"));
            then.status(200).json_body(json!({
                "public_id": 31, "agent_id": 1031, "first_name": "Ada", "other_name": null,
                "last_name": "Lovelace", "identity": null, "documents": null,
                "created": "2023-11-14_22:13:20", "modified": null,
                "email_address": {"email_address": "ada@example.org", "confirmed": true},
                "phone_number": {"digits": "61400000000"},
                "disposition": null
            }));
        })
        .await;
    let human = common::signed(&server)
        .humans()
        .get(31)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(human.agent_id, Some(AgentId::new(1031)));
    assert!(human.documents.is_empty());
    assert_eq!(human.created.unwrap().unix_timestamp(), 1_700_000_000);
    assert_eq!(
        human.email_address.unwrap()["email_address"],
        "ada@example.org"
    );
}

#[tokio::test]
async fn commitment_lookup() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/commitment")
                .query_param("setup_id", "ex_1")
                .header("x-procuret-signature", common::signature("/commitment"));
            then.status(200).json_body(json!({
                "public_id": "cm_1",
                "committed_human": {"public_id": 31, "first_name": "Ada", "last_name": "Lovelace"}
            }));
        })
        .await;
    let commitment = common::signed(&server)
        .commitments()
        .get("ex_1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(commitment.public_id, "cm_1");
    assert_eq!(
        commitment.committed_human.unwrap().public_id,
        HumanId::new(31)
    );
}

#[tokio::test]
async fn xero_lookups() {
    let server = MockServer::start_async().await;
    let map = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/xero/entity-map")
                .query_param("entity_id", "5")
                .header(
                    "x-procuret-signature",
                    common::signature("/xero/entity-map"),
                );
            then.status(200).json_body(json!({"xero_tenant_id": "t-1"}));
        })
        .await;
    let org = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/xero/organisation")
                .query_param("entity_id", "5")
                .header(
                    "x-procuret-signature",
                    common::signature("/xero/organisation"),
                );
            then.status(200).json_body(json!({"name": "Acme"}));
        })
        .await;
    let client = common::signed(&server);
    assert_eq!(
        client.entities().xero_entity_map(5).send().await.unwrap()["xero_tenant_id"],
        "t-1"
    );
    assert_eq!(
        client.entities().xero_organisation(5).send().await.unwrap()["name"],
        "Acme"
    );
    map.assert_async().await;
    org.assert_async().await;
}

#[tokio::test]
async fn lookups_validate_and_report_not_found() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(404)
                .json_body(json!({"error-information": "missing", "response-code": 404}));
        })
        .await;
    let client = common::signed(&server);
    assert!(matches!(
        client.entities().get(0).send().await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client.humans().get(-3).send().await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client.commitments().get("").send().await,
        Err(Error::InvalidInput(_))
    ));
    mock.assert_calls_async(0).await;
    assert!(
        client
            .entities()
            .get(1)
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .humans()
            .get(1)
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .commitments()
            .get("x")
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
}
