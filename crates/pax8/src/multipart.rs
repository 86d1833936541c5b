//! `multipart/form-data` bodies (RFC 7578) for the quoting API's uploads, encoded once into bytes.
//!
//! The body is built in full before the request is made, so the request holds plain bytes: a retry
//! (the client's retry rules for POST and PATCH, which repeat a request only when it cannot have
//! reached the server) sends exactly the same bytes. The boundary is chosen so that it occurs in no
//! file, and file names are written with `"` percent-encoded; control characters in a name or a
//! media type are refused.

use partner_core::Error;
use partner_core::bytes::Bytes;

/// A file to upload: its name, media type and contents.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Upload {
    /// The file name sent to Pax8 (`proposal.pdf`).
    pub file_name: String,
    /// The media type (`application/pdf`).
    pub content_type: String,
    /// The contents.
    pub data: Bytes,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

impl Upload {
    /// A file of media type `content_type`.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            data: data.into(),
        }
    }

    /// A PDF (`application/pdf`), the kind of file quotes carry.
    pub fn pdf(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Self::new(file_name, "application/pdf", data)
    }

    fn check(&self, field: &str) -> Result<(), Error> {
        if self.file_name.trim().is_empty() || self.file_name.chars().any(char::is_control) {
            return Err(Error::invalid_input(
                format!("{field}.file_name"),
                "a name without control characters",
            ));
        }
        let valid_type = self
            .content_type
            .split_once('/')
            .is_some_and(|(kind, sub)| {
                !kind.is_empty()
                    && !sub.is_empty()
                    && self
                        .content_type
                        .chars()
                        .all(|c| c.is_ascii_graphic() || c == ' ')
            });
        if !valid_type {
            return Err(Error::invalid_input(
                format!("{field}.content_type"),
                "a media type such as application/pdf",
            ));
        }
        Ok(())
    }
}

/// An encoded form: its `Content-Type` (with the boundary) and its body.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub(crate) content_type: String,
    pub(crate) body: Bytes,
}

/// Encodes `files` as parts named `field` (one part per file, the same name repeated, as an array
/// field of the spec is sent).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming `field` for no files, a blank or control-character file name, or a
/// media type that is not `type/subtype`.
pub(crate) fn encode(field: &'static str, files: &[Upload]) -> Result<Form, Error> {
    if files.is_empty() {
        return Err(Error::invalid_input(field, "at least one file"));
    }
    for (index, file) in files.iter().enumerate() {
        let name = if files.len() == 1 {
            field.to_owned()
        } else {
            format!("{field}[{index}]")
        };
        file.check(&name)?;
    }
    let boundary = boundary(files);
    let mut body = Vec::with_capacity(files.iter().map(|f| f.data.len() + 200).sum());
    for file in files {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\n");
        let name = file.file_name.replace('"', "%22");
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
                 Content-Type: {}\r\n\r\n",
                file.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(&file.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    Ok(Form {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        body: Bytes::from(body),
    })
}

/// The first boundary of a fixed sequence that no file contains (so the same files always give the
/// same bytes).
fn boundary(files: &[Upload]) -> String {
    (0u64..)
        .map(|n| format!("pax8-form-boundary-{n:016x}"))
        .find(|candidate| {
            !files
                .iter()
                .any(|file| contains(&file.data, candidate.as_bytes()))
        })
        .expect("some boundary is free")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_each_file_as_a_part() {
        let form = encode(
            "attachments",
            &[
                Upload::pdf("a.pdf", &b"%PDF-1.4 one"[..]),
                Upload::new("b \"x\".txt", "text/plain", &b"two"[..]),
            ],
        )
        .unwrap();
        let boundary = "pax8-form-boundary-0000000000000000";
        assert_eq!(
            form.content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let expected = format!(
            "--{boundary}\r\n\
             Content-Disposition: form-data; name=\"attachments\"; filename=\"a.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n\
             %PDF-1.4 one\r\n\
             --{boundary}\r\n\
             Content-Disposition: form-data; name=\"attachments\"; filename=\"b %22x%22.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n\
             two\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(form.body, expected.as_bytes());
    }

    #[test]
    fn the_boundary_avoids_the_contents() {
        let data =
            b"pax8-form-boundary-0000000000000000 pax8-form-boundary-0000000000000001".to_vec();
        let form = encode("attachment", &[Upload::pdf("a.pdf", data)]).unwrap();
        assert!(
            form.content_type
                .ends_with("boundary=pax8-form-boundary-0000000000000002"),
            "{}",
            form.content_type
        );
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let files = [Upload::pdf("a.pdf", vec![0u8, 1, 2, 255])];
        let one = encode("attachments", &files).unwrap();
        let two = encode("attachments", &files).unwrap();
        assert_eq!(one.body, two.body);
        assert_eq!(one.content_type, two.content_type);
    }

    #[test]
    fn bad_files_are_refused() {
        let field = |result: Result<Form, Error>| match result {
            Err(Error::InvalidInput(input)) => input.field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(encode("attachments", &[])), "attachments");
        assert_eq!(
            field(encode("attachment", &[Upload::pdf("a\r\nb.pdf", vec![1])])),
            "attachment.file_name"
        );
        assert_eq!(
            field(encode(
                "attachments",
                &[
                    Upload::pdf("a.pdf", vec![1]),
                    Upload::new("b.pdf", "pdf", vec![1])
                ]
            )),
            "attachments[1].content_type"
        );
        assert_eq!(
            field(encode(
                "attachment",
                &[Upload::new("b.pdf", "text/plain\r\nX-Evil: 1", vec![1])]
            )),
            "attachment.content_type"
        );
    }
}
