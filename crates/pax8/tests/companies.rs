//! `/companies` against a mock server: wire format, decoding, paging, input checks, errors.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::{Address, CompanySort, CompanyStatus, CompanyUpdate, Direction, NewCompany, NewContact};
use serde_json::json;

#[tokio::test]
async fn list_sends_filters_and_sort_as_one_param() {
    let (server, client) = setup().await;
    let example = spec_example("companies-paged");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies")
                .header("authorization", BEARER)
                .header("accept", "application/json")
                .header("user-agent", concat!("pax8/", env!("CARGO_PKG_VERSION")))
                .query_param("sort", "name,asc")
                .query_param("city", "Denver")
                .query_param("country", "US")
                .query_param("stateOrProvince", "CO")
                .query_param("postalCode", "80210")
                .query_param("selfServiceAllowed", "true")
                .query_param("billOnBehalfOfEnabled", "false")
                .query_param("orderApprovalRequired", "false")
                .query_param("status", "Active")
                .query_param("page", "2")
                .query_param("size", "25")
                .query_param_count(".*", ".*", 11);
            then.status(200).json_body(example.clone());
        })
        .await;

    let page = client
        .companies()
        .list()
        .city("Denver")
        .country("US")
        .state_or_province("CO")
        .postal_code("80210")
        .self_service_allowed(true)
        .bill_on_behalf_of_enabled(false)
        .order_approval_required(false)
        .status(CompanyStatus::Active)
        .sort(CompanySort::Name, Direction::Asc)
        .page(2)
        .size(25)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.total_items, Some(65));
    assert_eq!(page.total_pages, Some(7));
    assert!(page.has_next());
    let first = &page.items[0];
    assert_eq!(first.id.as_str(), "9ba32659-d339-4539-be21-1f461dc1a415");
    assert_eq!(first.status, Some(CompanyStatus::Active));
    assert_eq!(first.phone, None);
    assert_eq!(
        first.address.as_ref().unwrap().state_or_province.as_deref(),
        Some("Utah")
    );
    assert_eq!(
        first
            .updated_date
            .as_ref()
            .unwrap()
            .date_time()
            .unwrap()
            .unix_timestamp(),
        1_691_775_192
    );
}

#[tokio::test]
async fn sort_descending_by_state() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies")
                .query_param("sort", "stateOrProvince,desc")
                .query_param_count(".*", ".*", 1);
            then.status(200).json_body(page(json!([]), 0, 10, 0, 0));
        })
        .await;
    let page = client
        .companies()
        .list()
        .sort(CompanySort::StateOrProvince, Direction::Desc)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(page.items.is_empty());
    assert!(!page.has_next());
}

#[tokio::test]
async fn get_decodes_the_spec_example() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/a4dfc6bf-f02e-4a79-9844-66ba6c02ec3a")
                .header("authorization", BEARER);
            then.status(200).json_body(spec_example("company-0"));
        })
        .await;
    let company = client
        .companies()
        .get("a4dfc6bf-f02e-4a79-9844-66ba6c02ec3a")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(company.name, "VFC Network, Inc");
    assert_eq!(company.external_id.as_deref(), Some("A123"));
    assert_eq!(company.order_approval_required, Some(false));
    assert_eq!(
        company.updated_date.unwrap().as_str(),
        "2023-08-11T11:33:12.314-0600"
    );
}

#[tokio::test]
async fn create_sends_the_spec_body_with_contacts() {
    let (server, client) = setup().await;
    let request = spec_example("company-post");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/companies")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(request.clone());
            then.status(200).json_body(spec_example("company-0"));
        })
        .await;
    let company = NewCompany::builder(
        "VFC Network, Inc",
        Address::new("48918 Liberty Lane Ave", "Denver", "80210", "US")
            .state_or_province("Colorado"),
        "123-456-5555",
        "vfc-network-inc-liberty.com",
    )
    .external_id("A123")
    .contact(
        NewContact::builder(
            "John",
            "Doe",
            "john.doe@vfc-network-inc-liberty.com",
            "555-555-5555",
        )
        .primary_for_all()
        .build()
        .unwrap(),
    )
    .build()
    .unwrap();
    let created = client.companies().create(&company).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(created.id.as_str(), "a4dfc6bf-f02e-4a79-9844-66ba6c02ec3a");
}

#[tokio::test]
async fn update_patches_only_the_fields_set() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v1/companies/c-1")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({"website": "example.com", "selfServiceAllowed": true}));
            then.status(200).json_body(spec_example("company-0"));
        })
        .await;
    client
        .companies()
        .update(
            "c-1",
            &CompanyUpdate::builder()
                .website("example.com")
                .self_service_allowed(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn stream_walks_every_page() {
    let (server, client) = setup().await;
    let mut mocks = Vec::new();
    for number in 0..3u64 {
        let items: Vec<_> = (0..2)
            .map(|i| json!({"id": format!("c{}", number * 2 + i), "name": "n"}))
            .collect();
        let items = if number == 2 {
            items[..1].to_vec()
        } else {
            items
        };
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/v1/companies")
                        .query_param("page", number.to_string())
                        .query_param("size", "2")
                        .query_param("city", "Denver");
                    then.status(200)
                        .json_body(page(json!(items), number, 2, 5, 3));
                })
                .await,
        );
    }
    let ids: Vec<String> = client
        .companies()
        .list()
        .city("Denver")
        .size(2)
        .stream()
        .map_ok(|c| c.id.into_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4"]);
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/companies");
            then.status(200).json_body(json!({}));
        })
        .await;
    assert_invalid(client.companies().get("").send().await, "company_id");
    assert_invalid(client.companies().list().size(201).send().await, "size");
    let first = client
        .companies()
        .list()
        .size(500)
        .stream()
        .try_collect::<Vec<_>>()
        .await;
    assert_invalid(first, "size");
    assert_invalid(CompanyUpdate::builder().build(), "update");
    // A value changed after `build()` is checked again before sending.
    let mut emptied = CompanyUpdate::builder().name("n").build().unwrap();
    emptied.name = None;
    assert_invalid(
        client.companies().update("c-1", &emptied).send().await,
        "update",
    );
    let bad_country = NewCompany::builder("n", Address::new("s", "c", "p", "USA"), "1", "w");
    assert_invalid(bad_country.build(), "address.country");
    let bad_contact = NewCompany::builder("n", Address::new("s", "c", "p", "US"), "1", "w")
        .contact(unchecked_contact(""));
    assert_invalid(bad_contact.build(), "contact.first_name");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn errors_keep_the_pax8_body() {
    let (server, client) = setup().await;
    let body = json!({
        "type": "NOT_FOUND",
        "message": "Company not found",
        "instance": "/public/v1/companies/nope",
        "status": 404,
        "details": [{"message": "no company nope"}]
    });
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/companies/nope");
            then.status(404).json_body(body.clone());
        })
        .await;
    let err = client.companies().get("nope").send().await.unwrap_err();
    assert!(err.is_not_found());
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(api.message.as_deref(), Some("Company not found"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&api.raw_body).unwrap(),
        body
    );
    let typed = err.provider_details::<pax8::ErrorDetails>().unwrap();
    assert_eq!(typed.details[0].message.as_deref(), Some("no company nope"));
}

/// A contact emptied after `build()`, as a caller may do with the public fields.
fn unchecked_contact(first_name: &str) -> NewContact {
    let mut contact = NewContact::builder("Ann", "Doe", "j@d.com", "1")
        .build()
        .unwrap();
    contact.first_name = first_name.into();
    contact
}
