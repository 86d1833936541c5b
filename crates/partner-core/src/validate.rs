//! Checks on user input shared by the provider crates, run before anything is sent.

use crate::error::InvalidInput;

/// Checks that `value` is plausibly an email address (`local@domain.tld`), naming `field` if not.
///
/// The rules, the same in every provider crate:
/// - at most 254 characters, no whitespace, no control characters, none of `<>()[]\,;:"`;
/// - exactly one `@`, with 1 to 64 characters before it and no leading, trailing or doubled `.`
///   there;
/// - a domain of at least two `.`-separated labels, each 1 to 63 letters, digits or `-` (not at
///   either end), the last one not all digits.
///
/// Deliberately not RFC 5322: quoted local parts, IP literals and comments are refused, because an
/// address a person typed into a form never needs them and a provider that mails it would refuse or
/// mangle them later, after the call has been made. Non-ASCII letters are allowed (`zoë@bücher.example`);
/// a provider with a narrower character set checks that on top.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`, saying what is wrong (offending characters by code point only).
///
/// ```
/// use partner_core::validate::plausible_email;
///
/// assert!(plausible_email("email", "zoe.nunez+books@mail.example.co.uk").is_ok());
/// assert_eq!(plausible_email("recipient.email", "zoe@example").unwrap_err().field, "recipient.email");
/// ```
pub fn plausible_email(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    let refuse = |why: &str| {
        Err(InvalidInput::new(
            field,
            format!("is not an email address: {why}"),
        ))
    };
    if value.is_empty() {
        return refuse("it is empty");
    }
    if value.chars().count() > 254 {
        return refuse("longer than 254 characters");
    }
    if let Some(ch) = value
        .chars()
        .find(|&ch| ch.is_whitespace() || ch.is_control() || "<>()[]\\,;:\"".contains(ch))
    {
        return refuse(&format!("it contains U+{:04X}", u32::from(ch)));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return refuse("it has no `@`");
    };
    if domain.contains('@') {
        return refuse("it has more than one `@`");
    }
    if local.is_empty() {
        return refuse("nothing before the `@`");
    }
    if local.chars().count() > 64 {
        return refuse("more than 64 characters before the `@`");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return refuse("misplaced `.` before the `@`");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return refuse("the domain has no `.`");
    }
    let plausible_label = |label: &&str| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|ch| ch.is_alphanumeric() || ch == '-')
    };
    if !labels.iter().all(plausible_label) {
        return refuse("the domain is malformed");
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|ch| ch.is_ascii_digit()))
    {
        return refuse("the domain has no top-level name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_emails_pass() {
        for good in [
            "me@example.org",
            "a.b+c@sub.example.co.nz",
            "zoe.nunez+books@mail.example.co.uk",
            "o'brien@example.ie",
            "zoë@bücher.example",
            "a@b.io",
            "x_y-z@sub-domain.example.org",
        ] {
            assert!(plausible_email("email", good).is_ok(), "{good:?}");
        }
        let longest_local = format!("{}@example.com", "a".repeat(64));
        assert!(plausible_email("email", &longest_local).is_ok());
    }

    #[test]
    fn implausible_emails_are_refused_naming_the_field() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("a@{}example.com", "b.".repeat(130));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let mut bad = vec![
            "",
            "plainaddress",
            "@example.com",
            "zoe@",
            "zoe@example",
            "zoe@@example.com",
            "zoe@a@example.com",
            "zoe @example.com",
            "zoe@exa mple.com",
            "zoe\t@example.com",
            "zoe\u{0}@example.com",
            "zoe\u{85}@example.com",
            "zoe@example.com\n",
            "zoe@.example.com",
            "zoe@example..com",
            "zoe@example.com.",
            ".zoe@example.com",
            "zoe.@example.com",
            "zo..e@example.com",
            "zoe@-example.com",
            "zoe@example-.com",
            "zoe@example.123",
            "<zoe@example.com>",
            "\"zoe\"@example.com",
            "zoe@[127.0.0.1]",
            "zoe@exam_ple.com",
        ];
        bad.extend([long_local.as_str(), too_long.as_str(), long_label.as_str()]);
        for bad in bad {
            let err = plausible_email("recipient.email", bad).unwrap_err();
            assert_eq!(err.field, "recipient.email", "{bad:?}");
        }
    }

    #[test]
    fn the_reason_quotes_characters_by_code_point() {
        let err = plausible_email("email", "zoe\u{7}@example.com").unwrap_err();
        assert!(err.reason.contains("U+0007"), "{}", err.reason);
    }
}
