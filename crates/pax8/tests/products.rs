//! `/products` against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::products::{PricingType, RateChargeType, ValueType};
use pax8::{BillingTerm, CompanyId, Decimal, Direction, ProductSort};
use serde_json::json;

#[tokio::test]
async fn list_with_search_vendor_and_sort() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/products")
                .header("authorization", BEARER)
                .query_param("sort", "vendor,desc")
                .query_param("search", "Office 365")
                .query_param("vendorName", "Microsoft")
                .query_param("size", "200")
                .query_param_count(".*", ".*", 4);
            then.status(200).json_body(page(
                json!([{"id": "MS-0C-O365-BUSINESS-PREMIUM", "name": "M365 BP", "vendorName": "Microsoft",
                        "vendorSku": "CFQ7TTC0LCHC:0002", "requiresCommitment": true}]),
                0, 200, 1, 1,
            ));
        })
        .await;
    let page = client
        .products()
        .list()
        .search("Office 365")
        .vendor_name("Microsoft")
        .sort(ProductSort::Vendor, Direction::Desc)
        .size(200)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let product = &page.items[0];
    assert_eq!(product.id.as_str(), "MS-0C-O365-BUSINESS-PREMIUM");
    assert_eq!(product.requires_commitment, Some(true));
    assert_eq!(product.microsoft_sku().unwrap().sku_id, "0002");
}

#[tokio::test]
async fn get_provision_details_dependencies() {
    let (server, client) = setup().await;
    let id = "e91bba5e-a9a3-483f-b036-f80165d410e3";
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/products/{id}"))
                .header("authorization", BEARER);
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3"));
        })
        .await;
    let details_mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/products/{id}/provision-details"))
                .header("authorization", BEARER);
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3-details"));
        })
        .await;
    let deps = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/products/{id}/dependencies"))
                .header("authorization", BEARER);
            then.status(200)
                .json_body(spec_example("dependencies-example"));
        })
        .await;

    let product = client.products().get(id).send().await.unwrap();
    assert_eq!(product.sku.as_deref(), Some("MST-OFC-EE3-C100"));
    assert!(product.description.unwrap().starts_with("Microsoft 365 E3"));

    let details = client
        .products()
        .provision_details(id)
        .send()
        .await
        .unwrap();
    assert_eq!(details.len(), 10);
    assert_eq!(details[0].value_type, Some(ValueType::SingleValue));
    assert_eq!(details[0].possible_values.as_ref().unwrap().len(), 2);
    assert_eq!(details[1].value_type, Some(ValueType::Input));
    assert!(details[1].possible_values.is_none());

    let dependencies = client.products().dependencies(id).send().await.unwrap();
    let commitment = &dependencies.commitment_dependencies[0];
    assert_eq!(commitment.term, Some(BillingTerm::ThreeYear));
    assert_eq!(commitment.allow_for_quantity_decrease, Some(true));
    assert_eq!(
        dependencies.product_dependencies[0].products[0].name,
        "Acme Corps Productivity Suite"
    );
    assert_eq!(
        dependencies
            .commitment_for(&BillingTerm::Annual)
            .unwrap()
            .id,
        commitment.id
    );

    get.assert_async().await;
    details_mock.assert_async().await;
    deps.assert_async().await;
}

#[tokio::test]
async fn pricing_for_a_company() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/products/p-1/pricing")
                .header("authorization", BEARER)
                .query_param("companyId", "c-1")
                .query_param_count(".*", ".*", 1);
            then.status(200).json_body(json!({"content": [{
                "productId": "p-1", "productName": "P", "billingTerm": "Annual",
                "commitmentTerm": "1-Year", "commitmentTermInMonths": 12, "type": "Volume",
                "unitOfMeasurement": "User",
                "rates": [
                    {"partnerBuyRate": 145.8, "suggestedRetailPrice": 151.8, "startQuantityRange": 1,
                     "endQuantityRange": 300, "chargeType": "Per Unit"},
                    {"partnerBuyRate": "140.10", "suggestedRetailPrice": 150, "startQuantityRange": 301,
                     "endQuantityRange": null, "chargeType": "Flat Rate"}
                ]
            }]}));
        })
        .await;
    let pricing = client
        .products()
        .pricing("p-1", Some(&CompanyId::from("c-1")))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let price = &pricing[0];
    assert_eq!(price.pricing_type, Some(PricingType::Volume));
    assert_eq!(price.rates[0].partner_buy_rate, Some(Decimal::new(1458, 1)));
    assert_eq!(price.rates[0].charge_type, Some(RateChargeType::PerUnit));
    assert_eq!(
        price.rates[1].partner_buy_rate,
        Some(Decimal::new(14010, 2))
    );
    assert_eq!(price.rates[1].end_quantity_range, None);
}

#[tokio::test]
async fn pricing_without_company_sends_no_query() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/products/p-1/pricing")
                .query_param_missing("companyId");
            then.status(200).json_body(json!({"content": []}));
        })
        .await;
    assert!(
        client
            .products()
            .pricing("p-1", None)
            .send()
            .await
            .unwrap()
            .is_empty()
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/products");
            then.status(200).json_body(json!({}));
        })
        .await;
    assert_invalid(client.products().get("").send().await, "product_id");
    assert_invalid(
        client.products().dependencies("").send().await,
        "product_id",
    );
    assert_invalid(
        client
            .products()
            .pricing("p", Some(&CompanyId::from("")))
            .send()
            .await,
        "company_id",
    );
    assert_invalid(
        client
            .products()
            .list()
            .size(1000)
            .stream()
            .try_collect::<Vec<_>>()
            .await,
        "size",
    );
    any.assert_calls_async(0).await;
}
