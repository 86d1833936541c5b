//! Issue 15, item 4, checked for Procuret: a resource whose identity the API always returns requires
//! it when decoding, so an HTTP 200 carrying `{}` or an error body is `Error::Decode` naming the id,
//! never an `Ok` resource without one.

mod common;

use httpmock::prelude::*;
use procuret::Error;

const ERROR_BODY: &str = r#"{"error":"not found","message":"No such resource"}"#;

#[tokio::test]
async fn a_200_without_the_resource_id_is_a_decode_error() {
    for body in ["{}", ERROR_BODY] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET);
                then.status(200)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        let c = common::signed(&server);
        let results: Vec<(&str, Result<(), Error>)> = vec![
            ("entities.get", c.entities().get(1).send().await.map(drop)),
            ("humans.get", c.humans().get(1).send().await.map(drop)),
            (
                "commitments.get",
                c.commitments().get("s1").send().await.map(drop),
            ),
            (
                "instalment_links.get",
                c.instalment_links().get("l1").send().await.map(drop),
            ),
            (
                "term_rate_groups.get",
                c.term_rate_groups().get("g1").send().await.map(drop),
            ),
        ];
        for (what, result) in results {
            match result {
                Err(Error::Decode(decode)) => assert!(
                    decode.message.contains("missing field `public_id`"),
                    "{what} {body}: {decode}"
                ),
                other => panic!("{what} {body}: expected a decode error, got {other:?}"),
            }
        }
    }
}
