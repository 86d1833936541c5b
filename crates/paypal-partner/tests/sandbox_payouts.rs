//! Payouts v1 and referenced payouts through the client against `partner-sandbox`'s PayPal
//! simulator: a batch to a seller and to an unregistered email progresses on the sandbox clock, is
//! read as a batch, a page of items and a stream, and its unclaimed item is cancelled; a referenced
//! batch releases held funds of delayed captures and lists its items.
//!
//! `sandbox_coverage.rs` maps every operationId of the specs to the test here that calls it.

mod sim;

use std::time::Duration;

use futures_util::TryStreamExt;
use partner_sandbox::{Sandbox, SandboxConfig};
use paypal_partner::Client;
use paypal_partner::orders::{DisbursementMode, OrderRequest, PurchaseUnitRequest};
use paypal_partner::payouts::{
    BatchStatus, PayoutItemRequest, PayoutRequest, RecipientType, TransactionStatus,
};
use paypal_partner::referenced_payouts::{BatchOutcome, ItemStatus, ReferencedPayoutBatchRequest};
use sim::{client_for, onboard, refusal, usd};

/// How long a payout batch is `PENDING`, then `PROCESSING`: long enough that no read races it, since
/// the test moves the sandbox clock instead of waiting.
const PHASE: Duration = Duration::from_secs(3600);

async fn start(processing: Duration) -> (Sandbox, Client) {
    let config = SandboxConfig::new()
        .seed(24)
        .paypal_payout_processing(processing);
    let sandbox = Sandbox::start(config).await.unwrap();
    let client = client_for(&sandbox);
    (sandbox, client)
}

#[tokio::test]
async fn a_batch_progresses_and_its_unclaimed_item_is_cancelled() {
    let (sandbox, client) = start(PHASE).await;
    let seller = onboard(&sandbox, &client, "payout-seller").await;
    // The seller's PayPal email, as the merchant-integrations status shows it.
    let email = client
        .merchant_integrations()
        .status(&seller)
        .send()
        .await
        .unwrap()
        .primary_email
        .expect("an onboarded seller has an email");
    let batch = PayoutRequest::builder("sim-batch-1")
        .email_subject("Your December earnings")
        .item(
            PayoutItemRequest::new(RecipientType::PaypalId, &seller, usd("40.00"))
                .sender_item_id("seller-1"),
        )
        .item(
            PayoutItemRequest::new(
                RecipientType::Email,
                "nobody@unregistered.example",
                usd("9.87"),
            )
            .sender_item_id("stranger-1"),
        )
        .item(
            PayoutItemRequest::new(RecipientType::PaypalId, &seller, usd("1000.00"))
                .sender_item_id("seller-2"),
        )
        .item(
            PayoutItemRequest::new(RecipientType::Email, &email, usd("5.00"))
                .sender_item_id("seller-by-email"),
        )
        .build()
        .unwrap();

    // payouts.post: created PENDING; the same sender_batch_id again is refused.
    let created = client.payouts().create(&batch).send().await.unwrap();
    let id = created.batch_header.payout_batch_id.clone();
    assert_eq!(
        created.batch_header.batch_status,
        Some(BatchStatus::Pending)
    );
    let twice = client.payouts().create(&batch).send().await;
    let (status, name, _) = refusal(twice);
    assert_eq!((status, name.as_str()), (400, "USER_BUSINESS_ERROR"));

    // payouts.get: the batch and its items, PENDING; the total and 2% fees capped at 20.00.
    let read = client.payouts().get(id.clone()).send().await.unwrap();
    assert_eq!(read.batch_header.batch_status, Some(BatchStatus::Pending));
    assert_eq!(read.batch_header.amount, Some(usd("1054.87")));
    assert_eq!(read.items.len(), 4);
    assert!(
        read.items
            .iter()
            .all(|item| item.transaction_status == Some(TransactionStatus::Pending)),
        "{:?}",
        read.items
    );

    // payouts.get by page, with the totals PayPal counts only when asked.
    let second = client
        .payouts()
        .get(id.clone())
        .page(2)
        .page_size(1)
        .total_required(true)
        .send()
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    assert_eq!((second.total_items, second.total_pages), (Some(4), Some(4)));
    assert_eq!(second.items[0], read.items[1]);

    // Through the clock: PROCESSING after one phase, SUCCESS after two.
    sandbox.paypal().advance_clock(PHASE);
    let processing = client.payouts().get(id.clone()).send().await.unwrap();
    assert_eq!(
        processing.batch_header.batch_status,
        Some(BatchStatus::Processing)
    );
    sandbox.paypal().advance_clock(PHASE);
    let done = client.payouts().get(id.clone()).send().await.unwrap();
    assert_eq!(done.batch_header.batch_status, Some(BatchStatus::Success));

    // The items as pages of one (PayPal's page 1 is the family's number 0) and as a stream.
    let first = client
        .payouts()
        .items(id.clone())
        .page_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.number, 0);
    assert_eq!(first.items.len(), 1);
    assert_eq!(first.total_items, Some(4));
    assert!(first.has_next());
    let last = client
        .payouts()
        .items(id.clone())
        .page_size(1)
        .page(4)
        .send()
        .await
        .unwrap();
    assert_eq!(last.number, 3);
    assert!(!last.has_next());
    let all: Vec<_> = client
        .payouts()
        .items(id.clone())
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], first.items[0]);
    assert_eq!(all[3], last.items[0]);
    let by_sender = |sender: &str| {
        all.iter()
            .find(|item| {
                item.payout_item
                    .as_ref()
                    .and_then(|d| d.sender_item_id.as_deref())
                    == Some(sender)
            })
            .unwrap()
            .clone()
    };
    let paid = by_sender("seller-1");
    let unclaimed = by_sender("stranger-1");
    assert_eq!(paid.transaction_status, Some(TransactionStatus::Success));
    assert_eq!(paid.payout_item_fee, Some(usd("0.80")));
    assert_eq!(
        by_sender("seller-2").payout_item_fee,
        Some(usd("20.00")),
        "capped"
    );
    assert_eq!(
        unclaimed.transaction_status,
        Some(TransactionStatus::Unclaimed)
    );
    assert_eq!(
        by_sender("seller-by-email").transaction_status,
        Some(TransactionStatus::Success),
        "an onboarded seller's email claims the payout"
    );

    // payouts-item.get, payouts-item.cancel: only an unclaimed item can be cancelled.
    let item = client
        .payouts()
        .get_item(unclaimed.payout_item_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(item.payout_item_id, unclaimed.payout_item_id);
    assert_eq!(item.transaction_status, Some(TransactionStatus::Unclaimed));
    let paid_cancel = client
        .payouts()
        .cancel_item(paid.payout_item_id.clone())
        .send()
        .await;
    assert_eq!(refusal(paid_cancel).1, "ITEM_INCORRECT_STATUS");
    let cancelled = client
        .payouts()
        .cancel_item(unclaimed.payout_item_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        cancelled.transaction_status,
        Some(TransactionStatus::Returned)
    );
    let reread = client
        .payouts()
        .get_item(unclaimed.payout_item_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(reread.transaction_status, Some(TransactionStatus::Returned));
}

/// A captured order for `seller` with the given disbursement; the capture id.
async fn captured(
    sandbox: &Sandbox,
    client: &Client,
    seller: &str,
    mode: DisbursementMode,
) -> String {
    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(usd("30.00"))
            .payee_merchant_id(seller)
            .platform_fee(usd("1.00"))
            .disbursement_mode(mode),
    );
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    sandbox.paypal().approve_order(created.id.as_str()).unwrap();
    let order = client
        .orders()
        .capture(&created.id)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    order.captures().next().unwrap().id.to_string()
}

#[tokio::test]
async fn a_referenced_batch_releases_delayed_captures_and_lists_its_items() {
    let processing = Duration::from_millis(200);
    let (sandbox, client) = start(processing).await;
    let seller = onboard(&sandbox, &client, "referenced-seller").await;
    let delayed_a = captured(&sandbox, &client, &seller, DisbursementMode::Delayed).await;
    let delayed_b = captured(&sandbox, &client, &seller, DisbursementMode::Delayed).await;
    let instant = captured(&sandbox, &client, &seller, DisbursementMode::Instant).await;

    // referenced-payouts.create_batch: the delayed captures are released, the instant one fails
    // without failing the batch.
    let request = ReferencedPayoutBatchRequest::builder()
        .captures([delayed_a.clone(), delayed_b.clone(), instant.clone()])
        .build()
        .unwrap();
    let outcome = client
        .referenced_payouts()
        .create_batch(&request)
        .send()
        .await
        .unwrap();
    let BatchOutcome::Processed(batch) = outcome else {
        panic!("without respond-async the batch is processed, got {outcome:?}")
    };
    let batch_id = batch.batch_id().expect("the self link names the batch");
    let states: Vec<(Option<String>, Option<ItemStatus>)> = batch
        .referenced_payouts
        .iter()
        .map(|item| {
            (
                item.reference_id.clone(),
                item.processing_state
                    .as_ref()
                    .and_then(|s| s.status.clone()),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            (Some(delayed_a.clone()), Some(ItemStatus::Processing)),
            (Some(delayed_b.clone()), Some(ItemStatus::Processing)),
            (Some(instant.clone()), Some(ItemStatus::Failed)),
        ]
    );
    let failed = batch.referenced_payouts[2]
        .processing_state
        .as_ref()
        .unwrap();
    assert_eq!(failed.reason.as_deref(), Some("TRANSACTION_NOT_VALID"));

    // referenced-payouts.get_batch_details, after the processing time: the releases succeeded.
    tokio::time::sleep(processing + Duration::from_millis(100)).await;
    let page = client
        .referenced_payouts()
        .batch_items(batch_id.clone())
        .send()
        .await
        .unwrap();
    let streamed: Vec<_> = client
        .referenced_payouts()
        .batch_items(batch_id)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(page.items, streamed);
    let statuses: Vec<_> = streamed
        .iter()
        .map(|item| {
            item.processing_state
                .as_ref()
                .and_then(|s| s.status.clone())
        })
        .collect();
    assert_eq!(
        statuses,
        [
            Some(ItemStatus::Success),
            Some(ItemStatus::Success),
            Some(ItemStatus::Failed)
        ]
    );
    // A released capture, read as a single item, agrees.
    let item = client
        .referenced_payouts()
        .get_item(streamed[0].item_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(item.reference_id.as_deref(), Some(delayed_a.as_str()));
}

#[tokio::test]
async fn a_referenced_batch_with_respond_async_is_queued() {
    let (sandbox, client) = start(Duration::from_millis(200)).await;
    let seller = onboard(&sandbox, &client, "referenced-async").await;
    let delayed = captured(&sandbox, &client, &seller, DisbursementMode::Delayed).await;
    let request = ReferencedPayoutBatchRequest::builder()
        .capture(delayed.clone())
        .build()
        .unwrap();
    let outcome = client
        .referenced_payouts()
        .create_batch(&request)
        .respond_async()
        .send()
        .await
        .unwrap();
    let BatchOutcome::Queued(batch) = outcome else {
        panic!("respond-async answers 202, got {outcome:?}")
    };
    let items = client
        .referenced_payouts()
        .batch_items(batch.batch_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(items.items.len(), 1);
    assert_eq!(
        items.items[0].reference_id.as_deref(),
        Some(delayed.as_str())
    );
}
