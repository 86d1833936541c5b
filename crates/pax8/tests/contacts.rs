//! `/companies/{id}/contacts` against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::{ContactKind, NewContact};
use serde_json::json;

fn contact_json() -> serde_json::Value {
    json!({
        "id": "k-1",
        "firstName": "John",
        "lastName": "Doe",
        "email": "john@doe.com",
        "phone": "555-555-5555",
        "createdDate": "2020-05-12",
        "types": [{"type": "Admin", "primary": true}, {"type": "Billing", "primary": false}],
        "phoneNumber": "5555555",
        "phoneCountryCode": "US",
        "phoneCountryCallingcode": "1",
        "somethingNew": {"x": 1}
    })
}

#[tokio::test]
async fn list_pages_and_decodes_phone_extras() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1/contacts")
                .header("authorization", BEARER)
                .query_param("page", "0")
                .query_param("size", "50")
                .query_param_count(".*", ".*", 2);
            then.status(200)
                .json_body(page(json!([contact_json()]), 0, 50, 1, 1));
        })
        .await;
    let page = client
        .contacts("c-1")
        .list()
        .page(0)
        .size(50)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let contact = &page.items[0];
    assert_eq!(contact.first_name, "John");
    assert_eq!(contact.types[0].kind, ContactKind::Admin);
    assert!(contact.types[0].primary);
    assert_eq!(contact.phone_number.as_deref(), Some("5555555"));
    assert_eq!(contact.phone_country_code.as_deref(), Some("US"));
    // The README's lower-case spelling is accepted as well as the camel-case one.
    assert_eq!(contact.phone_country_calling_code.as_deref(), Some("1"));
    assert!(contact.created_date.as_ref().unwrap().is_date_only());

    let mut camel = contact_json();
    camel
        .as_object_mut()
        .unwrap()
        .remove("phoneCountryCallingcode");
    camel["phoneCountryCallingCode"] = json!("44");
    let decoded: pax8::Contact = serde_json::from_value(camel).unwrap();
    assert_eq!(decoded.phone_country_calling_code.as_deref(), Some("44"));
}

#[tokio::test]
async fn stream_through_companies_handle() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1/contacts")
                .query_param("page", "0");
            then.status(200)
                .json_body(page(json!([contact_json()]), 0, 10, 1, 1));
        })
        .await;
    let all: Vec<_> = client
        .companies()
        .contacts("c-1")
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn get_create_update_delete() {
    let (server, client) = setup().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1/contacts/k-1")
                .header("authorization", BEARER);
            then.status(200).json_body(contact_json());
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/companies/c-1/contacts")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({
                    "firstName": "Ann", "lastName": "Lee", "email": "ann@lee.io", "phone": "1",
                    "types": [{"type": "Technical", "primary": true}]
                }));
            then.status(200).json_body(contact_json());
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/v1/companies/c-1/contacts/k-1")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({
                    "firstName": "John", "lastName": "Doe", "email": "new@doe.com", "phone": "555-555-5555",
                    "types": [{"type": "Admin", "primary": true}, {"type": "Billing", "primary": false}],
                    "phoneNumber": "5555555", "phoneCountryCode": "US", "phoneCountryCallingCode": "1"
                }));
            then.status(200).json_body(contact_json());
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/companies/c-1/contacts/k-1")
                .header("authorization", BEARER);
            then.status(204);
        })
        .await;

    let contacts = client.contacts("c-1");
    assert_eq!(contacts.get("k-1").send().await.unwrap().id.as_str(), "k-1");
    contacts
        .create(
            &NewContact::builder("Ann", "Lee", "ann@lee.io", "1")
                .role(ContactKind::Technical, true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    // PUT needs the whole contact: `modify` fetches, merges and sends it.
    contacts
        .modify("k-1", |c| c.email = "new@doe.com".into())
        .send()
        .await
        .unwrap();
    contacts.delete("k-1").send().await.unwrap();

    get.assert_calls_async(2).await;
    create.assert_async().await;
    put.assert_async().await;
    delete.assert_async().await;
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
    assert_invalid(client.contacts("").list().send().await, "company_id");
    assert_invalid(client.contacts("c-1").get("").send().await, "contact_id");
    assert_invalid(
        client.contacts("c-1").delete(" ").send().await,
        "contact_id",
    );
    assert_invalid(
        NewContact::builder("a", "b", "not-an-email", "1").build(),
        "contact.email",
    );
    assert_invalid(
        NewContact::builder("a", "b", "a@b.c", "").build(),
        "contact.phone",
    );
    // A contact changed after `build()` is checked again before sending.
    let mut emptied = NewContact::builder("a", "b", "a@b.c", "1").build().unwrap();
    emptied.phone.clear();
    assert_invalid(
        client.contacts("c-1").update("k-1", &emptied).send().await,
        "contact.phone",
    );
    any.assert_calls_async(0).await;
}
