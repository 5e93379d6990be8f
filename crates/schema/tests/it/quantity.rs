//! `Quantity` against Kubernetes' own parser: every vector below was recorded from kubectl
//! 1.33.9 (`kubectl set resources --local --limits=cpu=Q -o jsonpath=...`), which parses with
//! `resource.ParseQuantity` and prints `Quantity.String()`, or fails with its error.

use schema::{Quantity, QuantityError};

const VECTORS: &[(&str, Result<&str, QuantityError>)] = &[
    ("1E", Ok("1E")),
    ("1e", Err(QuantityError::Suffix)),
    ("1.5Gi", Ok("1536Mi")),
    ("1.5.5", Err(QuantityError::Format)),
    ("1e3", Ok("1e3")),
    ("1Ki", Ok("1Ki")),
    ("1k", Ok("1k")),
    ("1KiB", Err(QuantityError::Format)),
    ("-1", Ok("-1")),
    ("+", Ok("0")),
    ("-", Ok("0")),
    (".", Ok("0")),
    ("", Err(QuantityError::Format)),
    ("1.5", Ok("1500m")),
    ("0.1m", Ok("100u")),
    ("0.1n", Ok("1n")),
    ("1e400", Ok("10e399")),
    (".e-10", Err(QuantityError::Numeric)),
    ("+1", Ok("+1")),
    (".5", Ok("500m")),
    ("1.Gi", Ok("1.Gi")),
    ("100m", Ok("100m")),
    ("1000m", Ok("1")),
    ("1024", Ok("1024")),
    ("1023Mi", Ok("1023Mi")),
    ("1e-3", Ok("1e-3")),
    ("0", Ok("0")),
    ("-0", Ok("0")),
    ("01", Ok("01")),
    ("1.0", Ok("1")),
    ("9223372036854775807", Ok("9223372036854775807")),
    ("9223372036854775808", Ok("9223372036854775808")),
    ("99999999999999999999", Ok("99999999999999999999")),
    ("1m", Ok("1m")),
    ("1.5k", Ok("1500")),
    ("2048Ki", Ok("2Mi")),
    ("1.1Mi", Ok("1153433600m")),
    ("0.5Gi", Ok("512Mi")),
    ("1e+3", Ok("1e+3")),
    ("1E3", Ok("1E3")),
    ("1e3Mi", Err(QuantityError::Format)),
    ("1i", Err(QuantityError::Suffix)),
    ("5.e5", Ok("500e3")),
    ("500m", Ok("500m")),
    ("250m", Ok("250m")),
    ("128Mi", Ok("128Mi")),
    ("2Gi", Ok("2Gi")),
    ("1G", Ok("1G")),
    ("1M", Ok("1M")),
    ("1T", Ok("1T")),
    ("1P", Ok("1P")),
    ("1Pi", Ok("1Pi")),
    ("1Ei", Ok("1Ei")),
    ("1Ti", Ok("1Ti")),
    ("8Ei", Ok("9223372036854775807")),
    ("16Ei", Ok("9223372036854775807")),
    ("1n", Ok("1n")),
    ("1u", Ok("1u")),
    ("0.0000000001", Ok("1n")),
    ("1.5m", Ok("1500u")),
    ("1.5n", Ok("2n")),
    ("0.5", Ok("500m")),
    ("-1.5", Ok("-1500m")),
    ("-1.5Gi", Ok("-1536Mi")),
    ("-1Ki", Ok("-1Ki")),
    ("1023", Ok("1023")),
    ("1025", Ok("1025")),
    ("2048", Ok("2048")),
    ("1023Ki", Ok("1023Ki")),
    ("1024Ki", Ok("1Mi")),
    ("1536Ki", Ok("1536Ki")),
    ("1.5e3", Ok("1500")),
    ("1e-9", Ok("1e-9")),
    ("1e-10", Ok("1e-9")),
    ("1e9", Ok("1e9")),
    ("1e18", Ok("1e18")),
    ("1e19", Ok("10e18")),
    ("abc", Err(QuantityError::Format)),
    ("1.1.1", Err(QuantityError::Format)),
    ("1e3e3", Err(QuantityError::Format)),
    ("1 ", Err(QuantityError::Format)),
    (" 1", Err(QuantityError::Format)),
    ("1Mi1", Err(QuantityError::Suffix)),
    ("12e+", Err(QuantityError::Suffix)),
    ("12e-", Err(QuantityError::Suffix)),
    ("1e+", Err(QuantityError::Suffix)),
    ("1ee3", Err(QuantityError::Suffix)),
    ("1Gi+", Err(QuantityError::Suffix)),
    ("0.1Ki", Ok("102400m")),
    ("3.5Mi", Ok("3584Ki")),
    ("0x10", Err(QuantityError::Format)),
    ("1_000", Err(QuantityError::Format)),
    ("00.5", Ok("500m")),
    ("000", Ok("0")),
    ("1.000", Ok("1")),
    ("10000000000000000000000", Ok("10")),
    ("123456789012345678", Ok("123456789012345678")),
    ("1234567890123456789", Ok("1234567890123456789")),
    ("0.000000001", Ok("1n")),
    ("1.23456789012", Ok("1234567891n")),
    ("100Mi", Ok("100Mi")),
    ("1k0", Err(QuantityError::Suffix)),
    ("m", Ok("0")),
    ("Ki", Ok("0")),
    ("e3", Ok("0")),
    ("1.5E", Ok("1500P")),
    ("2.5P", Ok("2500T")),
    ("1000k", Ok("1M")),
    ("1000000", Ok("1M")),
    ("1000000m", Ok("1k")),
    ("12345m", Ok("12345m")),
    ("120e-3", Ok("120e-3")),
    ("-0.5m", Ok("-500u")),
    ("-0.0", Ok("0")),
    ("1.2e-9", Ok("2e-9")),
];

#[test]
fn parses_like_kubernetes() {
    let mut wrong = Vec::new();
    for (text, want) in VECTORS {
        let got = Quantity::parse(text).map(|q| q.to_string());
        let want = want.map(str::to_string);
        if got != want {
            wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        VECTORS.len(),
        wrong.join("\n")
    );
    assert!(VECTORS.len() >= 100);
}

#[test]
fn the_briefs_examples() {
    for ok in [
        "1.5Gi", "1e3", "1Ki", "1k", "-1", "500m", "1.5", "+1", ".5", "1E",
    ] {
        assert!(Quantity::parse(ok).is_ok(), "{ok}");
    }
    for bad in ["1.5.5", "1KiB", "1e", ""] {
        assert!(Quantity::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(
        Quantity::parse("1.5.5").unwrap_err().to_string(),
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
}

#[test]
fn canonical_forms_and_order() {
    let c = |s: &str| Quantity::parse(s).unwrap().canonical();
    assert_eq!(c("+1"), "1");
    assert_eq!(c("1.Gi"), "1Gi");
    assert_eq!(c("01"), "1");
    assert_eq!(c("1e+3"), "1e3");
    assert_eq!(c("0.5Gi"), "512Mi");
    let q = |s: &str| Quantity::parse(s).unwrap();
    // requests <= limits style comparisons
    assert!(q("100m") <= q("1"));
    assert!(q("129Mi") > q("128Mi"));
    assert!(q("1Gi") > q("1G"));
    assert_eq!(q("1000m"), q("1"));
    assert_eq!(q("2048Ki"), q("2Mi"));
    let mut v: Vec<Quantity> = ["1Gi", "1", "500m", "-1", "1e3", "0"]
        .iter()
        .map(|s| q(s))
        .collect();
    v.sort();
    let order: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    assert_eq!(order, ["-1", "0", "500m", "1", "1e3", "1Gi"]);
}
