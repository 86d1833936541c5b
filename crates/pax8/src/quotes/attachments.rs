//! Attachments: the partner's library (`/v2/quote-attachments`), a quote's own
//! (`/v2/quotes/{quoteId}/attachments`), and the quote preferences (`/v2/quote-preferences`) with
//! the library attachments every new quote gets.
//!
//! Uploads are `multipart/form-data` ([`Upload`], encoded once into bytes by the crate's multipart
//! module, so a retry resends the same bytes; uploads are POST or PATCH, retried only when they
//! cannot have reached Pax8). Downloads (a PDF, a zip of all of a quote's attachments) come back as
//! [`Bytes`], read under a body cap: the call's own ([`Call::max_response_bytes`]) or else the
//! client's (`ClientBuilder::max_response_bytes`, 16 MiB by default). A larger file is an error,
//! never buffered without limit.

use partner_core::bytes::Bytes;
use partner_core::http::{HeaderValue, header};
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Attachment, Quotes};
use crate::call::Call;
use crate::ids::{self, AttachmentId, QuoteId};
use crate::multipart::{self, Upload};

/// New name and position of an attachment (`UpdateAttachmentPayload`: all three required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttachmentUpdate {
    /// The attachment.
    pub id: AttachmentId,
    /// Its name.
    pub name: String,
    /// Its position.
    pub order: i32,
}

impl AttachmentUpdate {
    /// Names attachment `id` `name`, at position `order`.
    pub fn new(id: impl Into<AttachmentId>, name: impl Into<String>, order: i32) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            order,
        }
    }
}

/// The partner's quote preferences: what a new quote starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuotePreferences {
    /// Days until a new quote expires.
    #[serde(default)]
    pub days_to_expire: Option<i32>,
    /// The introduction.
    #[serde(default)]
    pub intro_message: Option<String>,
    /// The terms and disclaimers.
    #[serde(default)]
    pub terms_and_disclaimers: Option<String>,
    /// The sales margin, in percent.
    #[serde(default, with = "crate::money::option")]
    pub sales_margin_percentage: Option<Decimal>,
    /// The library attachments every new quote gets (absent from the answer to an update).
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub attachments: Vec<Attachment>,
}

/// Quote preferences to save (`PUT /v2/quote-preferences`, `PreferencesPayload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PreferencesUpdate {
    /// Days until a new quote expires (not negative).
    pub days_to_expire: i32,
    /// The introduction.
    pub intro_message: String,
    /// The terms and disclaimers.
    pub terms_and_disclaimers: String,
    /// The sales margin, in percent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::money::option::serialize"
    )]
    pub sales_margin_percentage: Option<Decimal>,
}

impl PreferencesUpdate {
    /// Preferences with every required field.
    pub fn new(
        days_to_expire: i32,
        intro_message: impl Into<String>,
        terms_and_disclaimers: impl Into<String>,
    ) -> Self {
        Self {
            days_to_expire,
            intro_message: intro_message.into(),
            terms_and_disclaimers: terms_and_disclaimers.into(),
            sales_margin_percentage: None,
        }
    }

    /// Sets the sales margin, in percent.
    pub fn sales_margin_percentage(mut self, percent: Decimal) -> Self {
        self.sales_margin_percentage = Some(percent);
        self
    }

    fn check(&self) -> Result<(), Error> {
        if self.days_to_expire < 0 {
            return Err(Error::invalid_input(
                "days_to_expire",
                "must not be negative",
            ));
        }
        Ok(())
    }
}

fn check_updates(updates: &[AttachmentUpdate]) -> Result<(), Error> {
    if updates.is_empty() {
        return Err(Error::invalid_input(
            "attachments",
            "at least one attachment",
        ));
    }
    for (index, update) in updates.iter().enumerate() {
        if update.id.as_str().trim().is_empty() {
            return Err(Error::invalid_input(
                format!("attachments[{index}].id"),
                "must not be empty",
            ));
        }
        if update.name.trim().is_empty() {
            return Err(Error::invalid_input(
                format!("attachments[{index}].name"),
                "must not be empty",
            ));
        }
    }
    Ok(())
}

/// `[{"attachmentId": …}]` (`CopyAttachmentPayload`s).
fn copy_body(ids: &[AttachmentId]) -> Result<Vec<CopyAttachment<'_>>, Error> {
    check_ids(ids)?;
    Ok(ids
        .iter()
        .map(|attachment_id| CopyAttachment { attachment_id })
        .collect())
}

fn check_ids(list: &[AttachmentId]) -> Result<(), Error> {
    if list.is_empty() {
        return Err(Error::invalid_input("attachment_ids", "at least one id"));
    }
    for id in list {
        ids::require("attachment_ids", id.as_str())?;
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopyAttachment<'a> {
    attachment_id: &'a AttachmentId,
}

/// A multipart upload request.
fn upload(
    method: partner_core::http::Method,
    url: Url,
    field: &'static str,
    files: &[Upload],
) -> Result<Request, Error> {
    let form = multipart::encode(field, files)?;
    let content_type = HeaderValue::from_str(&form.content_type)
        .map_err(|_| Error::invalid_input(field, "unencodable content type"))?;
    Ok(Request::new(method, url)
        .body("multipart/form-data", form.body)
        .header(header::CONTENT_TYPE, content_type))
}

/// A download: any media type accepted, the body as bytes.
fn download(client: &crate::client::Client, request: Result<Request, Error>) -> Call<Bytes> {
    let request = request.map(|r| r.header(header::ACCEPT, HeaderValue::from_static("*/*")));
    Call::new(client, request, |response| Ok(response.body.clone()))
}

impl Quotes {
    fn library_url(&self, rest: &[Segment<'_>]) -> Result<Url, Error> {
        let mut segments = vec![Segment::literal("quote-attachments")];
        segments.extend_from_slice(rest);
        self.client.quotes_url(&segments)
    }

    fn preferences_url(&self, rest: &[Segment<'_>]) -> Result<Url, Error> {
        let mut segments = vec![Segment::literal("quote-preferences")];
        segments.extend_from_slice(rest);
        self.client.quotes_url(&segments)
    }

    // --- the library -------------------------------------------------------------------------

    /// `GET /v2/quote-attachments` (`getLibraryAttachmentsMetadata`): the library's attachments.
    pub fn library_attachments(&self) -> Call<Vec<Attachment>> {
        Call::json(&self.client, self.library_url(&[]).map(Request::get))
    }

    /// `POST /v2/quote-attachments` (`uploadAttachmentToLibrary`, multipart field `attachments`):
    /// uploads files to the library; answers their metadata.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, list the library before
    /// uploading again.
    pub fn upload_to_library(&self, files: &[Upload]) -> Call<Vec<Attachment>> {
        let request = self
            .library_url(&[])
            .and_then(|url| upload(partner_core::http::Method::POST, url, "attachments", files));
        Call::json(&self.client, request)
    }

    /// `PUT /v2/quote-attachments` (`updateLibraryAttachments`): renames and reorders library
    /// attachments.
    pub fn update_library_attachments(
        &self,
        updates: &[AttachmentUpdate],
    ) -> Call<Vec<Attachment>> {
        let request = check_updates(updates).and_then(|()| {
            let url = self.library_url(&[])?;
            Ok(Request::put(url).json(updates)?)
        });
        Call::json(&self.client, request)
    }

    /// `POST /v2/quote-attachments/shared` (`addQuoteAttachmentsToLibrary`): copies attachments of
    /// quotes into the library.
    pub fn add_to_library(&self, attachment_ids: &[AttachmentId]) -> Call<Vec<Attachment>> {
        let request = copy_body(attachment_ids).and_then(|body| {
            let url = self.library_url(&[Segment::literal("shared")])?;
            Ok(Request::post(url).json(&body)?)
        });
        Call::json(&self.client, request)
    }

    /// `DELETE /v2/quote-attachments/{attachmentId}` (`deleteSingleLibraryAttachment`, 204).
    pub fn delete_library_attachment(&self, id: impl Into<AttachmentId>) -> Call<()> {
        let id = id.into();
        let url = self.library_url(&[Segment::id("attachment_id", id.as_str())]);
        Call::empty(&self.client, url.map(Request::delete))
    }

    /// `GET /v2/quote-attachments/{attachmentId}` (`getLibraryAttachmentMetadata`): the metadata.
    pub fn library_attachment(&self, id: impl Into<AttachmentId>) -> Call<Attachment> {
        let id = id.into();
        let url = self.library_url(&[Segment::id("attachment_id", id.as_str())]);
        Call::json(&self.client, url.map(Request::get))
    }

    /// `GET /v2/quote-attachments/{attachmentId}?download=true` (`getLibraryAttachmentMetadata`
    /// with `download`): the file itself (a PDF), under the call's body cap (`.max_response_bytes(n)`)
    /// or else the client's.
    pub fn download_library_attachment(&self, id: impl Into<AttachmentId>) -> Call<Bytes> {
        let id = id.into();
        let url = self.library_url(&[Segment::id("attachment_id", id.as_str())]);
        download(
            &self.client,
            url.map(|url| Request::get(url).query_pair("download", "true")),
        )
    }

    /// `PATCH /v2/quote-attachments/{attachmentId}` (`replaceLibraryAttachment`, multipart field
    /// `attachment`): replaces the library attachment's file.
    pub fn replace_library_attachment(
        &self,
        id: impl Into<AttachmentId>,
        file: &Upload,
    ) -> Call<Attachment> {
        let id = id.into();
        let request = self
            .library_url(&[Segment::id("attachment_id", id.as_str())])
            .and_then(|url| {
                upload(
                    partner_core::http::Method::PATCH,
                    url,
                    "attachment",
                    std::slice::from_ref(file),
                )
            });
        Call::json(&self.client, request)
    }

    // --- a quote's attachments -----------------------------------------------------------------

    /// `GET /v2/quotes/{quoteId}/attachments?downloadZip=true` (`downloadAllAttachmentsAsZip`): every
    /// attachment of the quote as one zip, under the call's body cap (`.max_response_bytes(n)`) or
    /// else the client's.
    ///
    /// ```no_run
    /// # async fn run(client: pax8::Client, quote_id: pax8::QuoteId) -> Result<(), pax8::Error> {
    /// // A zip may be larger than the answers the client's cap is set for: allow this call 64 MiB.
    /// let zip = client
    ///     .quotes()
    ///     .download_attachments_zip(&quote_id)
    ///     .max_response_bytes(64 * 1024 * 1024)
    ///     .send()
    ///     .await?;
    /// # let _ = zip; Ok(()) }
    /// ```
    pub fn download_attachments_zip(&self, quote_id: impl Into<QuoteId>) -> Call<Bytes> {
        let url = self.quote_url(&quote_id.into(), &[Segment::literal("attachments")]);
        download(
            &self.client,
            url.map(|url| Request::get(url).query_pair("downloadZip", "true")),
        )
    }

    /// `POST /v2/quotes/{quoteId}/attachments` (`uploadAttachmentToQuote`, multipart field
    /// `attachments`): attaches files to the quote.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, get the quote before
    /// uploading again.
    pub fn upload_attachments(
        &self,
        quote_id: impl Into<QuoteId>,
        files: &[Upload],
    ) -> Call<Vec<Attachment>> {
        let request = self
            .quote_url(&quote_id.into(), &[Segment::literal("attachments")])
            .and_then(|url| upload(partner_core::http::Method::POST, url, "attachments", files));
        Call::json(&self.client, request)
    }

    /// `PUT /v2/quotes/{quoteId}/attachments` (`updateAttachmentsMetadata`): renames and reorders the
    /// quote's attachments.
    pub fn update_attachments(
        &self,
        quote_id: impl Into<QuoteId>,
        updates: &[AttachmentUpdate],
    ) -> Call<Vec<Attachment>> {
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("attachments")])?;
            check_updates(updates)?;
            Ok(Request::put(url).json(updates)?)
        })();
        Call::json(&self.client, request)
    }

    /// `POST /v2/quotes/{quoteId}/attachments/shared` (`copyAttachmentsToQuoteFromLibrary`):
    /// attaches copies of library attachments to the quote.
    pub fn copy_from_library(
        &self,
        quote_id: impl Into<QuoteId>,
        attachment_ids: &[AttachmentId],
    ) -> Call<Vec<Attachment>> {
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(
                &quote_id,
                &[Segment::literal("attachments"), Segment::literal("shared")],
            )?;
            let body = copy_body(attachment_ids)?;
            Ok(Request::post(url).json(&body)?)
        })();
        Call::json(&self.client, request)
    }

    /// `DELETE /v2/quotes/{quoteId}/attachments/{attachmentId}` (`deleteAttachment`, 204).
    pub fn delete_attachment(
        &self,
        quote_id: impl Into<QuoteId>,
        attachment_id: impl Into<AttachmentId>,
    ) -> Call<()> {
        let attachment_id = attachment_id.into();
        let url = self.quote_url(
            &quote_id.into(),
            &[
                Segment::literal("attachments"),
                Segment::id("attachment_id", attachment_id.as_str()),
            ],
        );
        Call::empty(&self.client, url.map(Request::delete))
    }

    /// `GET /v2/quotes/{quoteId}/attachments/{attachmentId}` (`getAttachmentMetadata`): the
    /// metadata.
    pub fn attachment(
        &self,
        quote_id: impl Into<QuoteId>,
        attachment_id: impl Into<AttachmentId>,
    ) -> Call<Attachment> {
        let attachment_id = attachment_id.into();
        let url = self.quote_url(
            &quote_id.into(),
            &[
                Segment::literal("attachments"),
                Segment::id("attachment_id", attachment_id.as_str()),
            ],
        );
        Call::json(&self.client, url.map(Request::get))
    }

    /// `GET /v2/quotes/{quoteId}/attachments/{attachmentId}?download=true` (`getAttachmentMetadata`
    /// with `download`): the file itself, under the call's body cap (`.max_response_bytes(n)`) or else
    /// the client's.
    pub fn download_attachment(
        &self,
        quote_id: impl Into<QuoteId>,
        attachment_id: impl Into<AttachmentId>,
    ) -> Call<Bytes> {
        let attachment_id = attachment_id.into();
        let url = self.quote_url(
            &quote_id.into(),
            &[
                Segment::literal("attachments"),
                Segment::id("attachment_id", attachment_id.as_str()),
            ],
        );
        download(
            &self.client,
            url.map(|url| Request::get(url).query_pair("download", "true")),
        )
    }

    // --- preferences ---------------------------------------------------------------------------

    /// `GET /v2/quote-preferences` (`getQuotePreferences`).
    pub fn preferences(&self) -> Call<QuotePreferences> {
        Call::json(&self.client, self.preferences_url(&[]).map(Request::get))
    }

    /// `PUT /v2/quote-preferences` (`persistQuotePreferences`): creates or replaces the
    /// preferences; the answer has no attachments.
    pub fn update_preferences(&self, preferences: &PreferencesUpdate) -> Call<QuotePreferences> {
        let request = preferences.check().and_then(|()| {
            let url = self.preferences_url(&[])?;
            Ok(Request::put(url).json(preferences)?)
        });
        Call::json(&self.client, request)
    }

    /// `POST /v2/quote-preferences/attachments` (`uploadPreferencesAttachments`): adds library
    /// attachments to the preferences. Despite its name, a JSON list of library attachment ids,
    /// not an upload.
    pub fn add_preference_attachments(
        &self,
        attachment_ids: &[AttachmentId],
    ) -> Call<Vec<Attachment>> {
        #[derive(Serialize)]
        struct Body<'a> {
            attachments: &'a [AttachmentId],
        }
        let request = check_ids(attachment_ids).and_then(|()| {
            let url = self.preferences_url(&[Segment::literal("attachments")])?;
            Ok(Request::post(url).json(&Body {
                attachments: attachment_ids,
            })?)
        });
        Call::json(&self.client, request)
    }

    /// `DELETE /v2/quote-preferences/attachments/{attachmentId}` (`deletePreferenceAttachment`,
    /// 204).
    pub fn delete_preference_attachment(&self, id: impl Into<AttachmentId>) -> Call<()> {
        let id = id.into();
        let url = self.preferences_url(&[
            Segment::literal("attachments"),
            Segment::id("attachment_id", id.as_str()),
        ]);
        Call::empty(&self.client, url.map(Request::delete))
    }
}
