//! Shape and property tests for the non-deterministic Sprig functions (random values, keys,
//! certificates, bcrypt, `encryptAES`, `now`, `ago`): Helm's output differs per run, so these
//! check validity instead of bytes. The deterministic ones are covered by the oracle corpus
//! (`fixtures/sprig/cases/{semver,regex,date,crypto,random}.toml`).

use base64::Engine as _;
use gotmpl::{GoVersion, Map, Value};
use proptest::prelude::*;
use x509_parser::prelude::*;

fn run(text: &str) -> String {
    crate::render(text, Value::Missing).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn run_with(text: &str, data: Value) -> String {
    crate::render(text, data).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn pem_der(pem: &str) -> Vec<u8> {
    let (_, p) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).expect("PEM");
    p.contents
}

#[test]
fn random_strings_have_the_requested_shape() {
    for _ in 0..20 {
        let out = run(
            r#"{{ randAlphaNum 16 }}|{{ randAlpha 9 }}|{{ randNumeric 7 }}|{{ randAscii 30 }}"#,
        );
        let parts: Vec<&str> = out.splitn(4, '|').collect();
        assert_eq!(parts.len(), 4, "{out}");
        assert!(parts[0].len() == 16 && parts[0].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(parts[1].len() == 9 && parts[1].chars().all(|c| c.is_ascii_alphabetic()));
        assert!(parts[2].len() == 7 && parts[2].chars().all(|c| c.is_ascii_digit()));
        // randAscii may itself produce '|': it is the whole tail.
        assert!(parts[3].len() == 30 && parts[3].bytes().all(|b| (32..=126).contains(&b)));
    }
}

#[test]
fn rand_bytes_uuid_and_int() {
    let b = run("{{ randBytes 24 }}");
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&b)
        .expect("base64");
    assert_eq!(raw.len(), 24);
    let u = run("{{ uuidv4 }}");
    let parsed = uuid::Uuid::parse_str(&u).expect("uuid");
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(u, u.to_lowercase());
    for _ in 0..50 {
        let n: i64 = run("{{ randInt -3 4 }}").parse().expect("int");
        assert!((-3..4).contains(&n));
    }
    assert!(crate::render("{{ randInt 3 3 }}", Value::Missing).is_err());
}

#[test]
fn bcrypt_and_htpasswd_verify() {
    let h = run(r#"{{ bcrypt "s3cret" }}"#);
    assert!(h.starts_with("$2a$10$") && h.len() == 60, "{h}");
    assert!(bcrypt::verify("s3cret", &h).expect("hash parses"));
    assert!(!bcrypt::verify("other", &h).expect("hash parses"));
    let line = run(r#"{{ htpasswd "alice" "pw" }}"#);
    let (user, hash) = line.split_once(':').expect("user:hash");
    assert_eq!(user, "alice");
    assert!(bcrypt::verify("pw", hash).expect("hash parses"));
    let long = "x".repeat(73);
    let out = run_with("{{ bcrypt . }}", Value::from(long.as_str()));
    assert!(
        out.starts_with("failed to encrypt string with bcrypt"),
        "{out}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn encrypt_aes_round_trips(key in "[ -~]{0,40}", text in "\\PC{0,60}") {
        let data = Map::new();
        data.insert("k", Value::from(key.as_str()));
        data.insert("t", Value::from(text.as_str()));
        let out = run_with("{{ decryptAES .k (encryptAES .k .t) }}", Value::Map(data.clone()));
        prop_assert_eq!(out, text.clone());
        // IV (16 bytes) plus whole blocks.
        let enc = run_with("{{ encryptAES .k .t }}", Value::Map(data));
        let raw = base64::engine::general_purpose::STANDARD.decode(&enc).expect("base64");
        prop_assert!(raw.len() >= 32 && raw.len().is_multiple_of(16));
        prop_assert_eq!(raw.len(), 16 + (text.len() / 16 + 1) * 16);
    }
}

#[test]
fn gen_ca_and_signed_cert_are_valid_x509() {
    let out = run(
        r#"{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc.example" (list "10.1.2.3" "::1") (list "svc" "svc.ns.svc") 30 $ca }}{{ $ca.Cert }}@@{{ $ca.Key }}@@{{ $c.Cert }}@@{{ $c.Key }}"#,
    );
    let parts: Vec<&str> = out.split("@@").collect();
    assert_eq!(parts.len(), 4);
    let (ca_cert, ca_key, cert, key) = (parts[0], parts[1], parts[2], parts[3]);
    assert!(ca_key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert!(key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert!(ca_cert.ends_with("-----END CERTIFICATE-----\n"));

    let ca_der = pem_der(ca_cert);
    let (_, ca) = X509Certificate::from_der(&ca_der).expect("CA parses");
    let cn = |c: &X509Certificate<'_>| {
        c.subject()
            .iter_common_name()
            .next()
            .and_then(|a| a.as_str().ok())
            .map(str::to_string)
    };
    assert_eq!(cn(&ca).as_deref(), Some("my-ca"));
    assert!(ca.is_ca());
    ca.verify_signature(None).expect("CA is self-signed");
    let days = (ca.validity().not_after.timestamp() - ca.validity().not_before.timestamp()) / 86400;
    assert_eq!(days, 365);
    let ku = ca.key_usage().expect("ext").expect("key usage").value;
    assert!(ku.key_cert_sign() && ku.digital_signature() && ku.key_encipherment());

    let der = pem_der(cert);
    let (_, leaf) = X509Certificate::from_der(&der).expect("leaf parses");
    assert_eq!(cn(&leaf).as_deref(), Some("svc.example"));
    assert!(!leaf.is_ca());
    assert_eq!(leaf.issuer(), ca.subject());
    leaf.verify_signature(Some(ca.public_key()))
        .expect("leaf verifies against its CA");
    let san = leaf
        .subject_alternative_name()
        .expect("ext")
        .expect("SAN")
        .value;
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    for n in &san.general_names {
        match n {
            GeneralName::DNSName(d) => dns.push(d.to_string()),
            GeneralName::IPAddress(ip) => ips.push(ip.to_vec()),
            _ => {}
        }
    }
    assert_eq!(dns, ["svc", "svc.ns.svc"]);
    assert_eq!(
        ips,
        [vec![10, 1, 2, 3], {
            let mut v = vec![0u8; 16];
            v[15] = 1;
            v
        }]
    );
    let eku = leaf.extended_key_usage().expect("ext").expect("eku").value;
    assert!(eku.server_auth && eku.client_auth);
    // The key in the result is the certificate's key.
    let (_, key_pem) = x509_parser::pem::parse_x509_pem(key.as_bytes()).expect("key PEM");
    assert_eq!(key_pem.label, "RSA PRIVATE KEY");
}

#[test]
fn self_signed_and_with_key_variants() {
    let out = run(
        r#"{{ $s := genSelfSignedCert "self.local" (list "127.0.0.1") nil 2 }}{{ $s.Cert }}@@{{ $e := genPrivateKey "ecdsa" }}{{ $c := genSelfSignedCertWithKey "ec.local" nil (list "ec.local") 3 $e }}{{ $c.Cert }}@@{{ $c.Key }}@@{{ $e }}"#,
    );
    let parts: Vec<&str> = out.split("@@").collect();
    let (s_der, ec_der) = (pem_der(parts[0]), pem_der(parts[1]));
    let (_, s) = X509Certificate::from_der(&s_der).expect("parses");
    s.verify_signature(None).expect("self-signed");
    assert!(!s.is_ca());
    let (_, ec) = X509Certificate::from_der(&ec_der).expect("parses");
    ec.verify_signature(None).expect("self-signed with EC key");
    assert_eq!(parts[2], parts[3], "WithKey returns the given key");
    assert!(parts[3].starts_with("-----BEGIN EC PRIVATE KEY-----\n"));

    // A CA with a given key, and a leaf signed by it with another given key.
    let out = run(
        r#"{{ $k := genPrivateKey "ed25519" }}{{ $ca := genCAWithKey "edca" 10 $k }}{{ $lk := genPrivateKey "ecdsa" }}{{ $c := genSignedCertWithKey "leaf" nil (list "leaf") 5 $ca $lk }}{{ $ca.Cert }}@@{{ $c.Cert }}@@{{ eq $ca.Key $k }}@@{{ eq $c.Key $lk }}"#,
    );
    let parts: Vec<&str> = out.split("@@").collect();
    let (ca_der, leaf_der) = (pem_der(parts[0]), pem_der(parts[1]));
    let (_, ca) = X509Certificate::from_der(&ca_der).expect("parses");
    let (_, leaf) = X509Certificate::from_der(&leaf_der).expect("parses");
    assert!(ca.is_ca());
    leaf.verify_signature(Some(ca.public_key()))
        .expect("leaf verifies against the Ed25519 CA");
    assert_eq!(&parts[2..], ["true", "true"]);
}

#[test]
fn build_custom_cert_round_trips() {
    let out = run(
        r#"{{ $ca := genCA "x" 1 }}{{ $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $b.Cert $ca.Cert }}|{{ eq $b.Key $ca.Key }}|{{ typeOf $b }}"#,
    );
    assert_eq!(out, "true|true|sprig.certificate");
    let err = crate::render(
        r#"{{ buildCustomCert ("x" | b64enc) ("y" | b64enc) }}"#,
        Value::Missing,
    )
    .unwrap_err();
    assert!(err.contains("unable to decode certificate"), "{err}");
}

#[test]
fn gen_private_key_kinds() {
    let ec = run(r#"{{ genPrivateKey "ecdsa" }}"#);
    assert!(
        ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n")
            && ec.ends_with("-----END EC PRIVATE KEY-----\n")
    );
    let ed = run(r#"{{ genPrivateKey "ed25519" }}"#);
    assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let rsa = run(r#"{{ genPrivateKey "rsa" }}"#);
    assert!(rsa.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    // 4096-bit modulus: the PKCS#1 DER is a little over 2300 bytes.
    let (_, p) = x509_parser::pem::parse_x509_pem(rsa.as_bytes()).expect("PEM");
    assert!(p.contents.len() > 2300, "{}", p.contents.len());
    assert_eq!(run(r#"{{ genPrivateKey "foo" }}"#), "Unknown type foo");
    // Every line of a PEM body is at most 64 characters, as Go writes it.
    assert!(ec.lines().all(|l| l.len() <= 64));
}

#[test]
fn gen_private_key_dsa() {
    let dsa = run(r#"{{ genPrivateKey "dsa" }}"#);
    assert!(
        dsa.starts_with("-----BEGIN DSA PRIVATE KEY-----\n"),
        "{dsa}"
    );
    assert!(dsa.ends_with("-----END DSA PRIVATE KEY-----\n"));
}

#[test]
fn now_and_ago_have_go_shapes() {
    let out = run("{{ now }}");
    // 2024-01-02 03:04:05.123456789 +0000 UTC m=+0.001234567
    let re = regex::Regex::new(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC m=\+\d+\.\d{9}$",
    )
    .expect("regex");
    assert!(re.is_match(&out), "{out}");
    assert_eq!(run("{{ typeOf now }}"), "time.Time");
    let year: i64 = run(r#"{{ now | date "2006" }}"#).parse().expect("year");
    assert!(year >= 2024);
    // A string or float date means "now" in Sprig.
    assert_eq!(run(r#"{{ date "2006" "x" }}"#), year.to_string());
    assert_eq!(run("{{ ago now }}"), "0s");
    let ago = run(r#"{{ ago (toDate "2006-01-02" "2020-01-01") }}"#);
    assert!(ago.ends_with('s') && ago.contains('h'), "{ago}");
    assert!(run(r#"{{ durationRound (toDate "2006-01-02" "2020-01-01") }}"#).ends_with('y'));
    assert!(run(r#"{{ dateModify "1h" now }}"#).contains(" m=+"));
    assert!(!run(r#"{{ htmlDate now }}"#).is_empty());
}

#[test]
fn semver_errors_follow_the_go_version() {
    let mut h3 = crate::sprig_set(GoVersion::Go1_23);
    h3.parse("t", r#"{{ semver "x" }}"#).expect("parses");
    let e = h3.execute("t", Value::Missing).unwrap_err().to_string();
    assert!(e.ends_with("Invalid Semantic Version"), "{e}");
    let e = crate::render(r#"{{ semver "x" }}"#, Value::Missing).unwrap_err();
    assert!(e.ends_with("invalid semantic version"), "{e}");
}

#[test]
fn every_semver_regex_date_crypto_name_is_registered() {
    let names = "adler32sum ago bcrypt buildCustomCert date dateInZone dateModify date_in_zone \
        date_modify decryptAES derivePassword duration durationRound encryptAES genCA genCAWithKey \
        genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey \
        htmlDate htmlDateInZone htpasswd mustDateModify mustRegexFind mustRegexFindAll \
        mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustToDate \
        must_date_modify now randAlpha randAlphaNum randAscii randBytes randInt randNumeric \
        regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral \
        regexSplit semver semverCompare sha1sum sha256sum sha512sum toDate unixEpoch uuidv4";
    let funcs = sprig::funcs();
    for name in names.split_whitespace() {
        assert!(funcs.contains(name), "{name} is not registered");
    }
    for absent in [
        "mustToDuration",
        "durationSeconds",
        "mustDate_modify",
        "md5sum",
    ] {
        assert!(!funcs.contains(absent), "{absent} must not exist");
    }
}
