//! Keys and certificates: `genPrivateKey`, `genCA`, `genCAWithKey`, `genSelfSignedCert`,
//! `genSelfSignedCertWithKey`, `genSignedCert`, `genSignedCertWithKey`, `buildCustomCert`.
//!
//! As in Sprig: generated keys are RSA (2048 bits for certificates, 4096 for
//! `genPrivateKey "rsa"`), P-256 ECDSA, Ed25519 or DSA (L2048 N256), written as PEM
//! (`RSA PRIVATE KEY` PKCS#1, `EC PRIVATE KEY` SEC 1, `PRIVATE KEY` PKCS#8, `DSA PRIVATE KEY`);
//! certificates carry the CN, the IP and DNS subject alternative names, a random 128-bit serial,
//! validity from now for the given days, server and client auth usage, and are signed with
//! SHA-256. Results are `sprig.certificate` values with `.Cert` and `.Key` PEM strings.

use std::net::IpAddr;
use std::sync::Arc;

use base64::Engine as _;
use gotmpl::{Func, FuncError, FuncMap, Object, Param, Signature, Value};
use rand::RngCore;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};

/// A `sprig.certificate` parameter (`genCA`'s result): anything else is Go's argument error.
const CERTIFICATE: Param = Param::Named("sprig.certificate");

/// Adds the key and certificate functions to `m`.
pub(super) fn register(m: &mut FuncMap) {
    use Param::{Int, List, String as S};
    m.insert(
        "genPrivateKey",
        Func::infallible(Signature::fixed(&[S]), |_, a| {
            Value::from(gen_private_key(str_arg(&a, 0)))
        }),
    );
    m.insert(
        "genCA",
        Func::new(Signature::fixed(&[S, Int]), |_, a| {
            let key = new_rsa_key(2048)?;
            ok(gen_ca(str_arg(&a, 0), int_arg(&a, 1), &key))
        }),
    );
    m.insert(
        "genCAWithKey",
        Func::new(Signature::fixed(&[S, Int, S]), |_, a| {
            let key = parse_private_key(str_arg(&a, 2))
                .map_err(|e| format!("parsing private key: {e}"))?;
            ok(gen_ca(str_arg(&a, 0), int_arg(&a, 1), &key))
        }),
    );
    m.insert(
        "genSelfSignedCert",
        Func::new(Signature::fixed(&[S, List, List, Int]), |_, a| {
            let key = new_rsa_key(2048)?;
            ok(gen_self_signed(&a, &key))
        }),
    );
    m.insert(
        "genSelfSignedCertWithKey",
        Func::new(Signature::fixed(&[S, List, List, Int, S]), |_, a| {
            let key = parse_private_key(str_arg(&a, 4))
                .map_err(|e| format!("parsing private key: {e}"))?;
            ok(gen_self_signed(&a, &key))
        }),
    );
    m.insert(
        "genSignedCert",
        Func::new(
            Signature::fixed(&[S, List, List, Int, CERTIFICATE]),
            |_, a| {
                let ca = ca_arg(a.get(4))?;
                let key = new_rsa_key(2048)?;
                ok(gen_signed(&a, &ca, &key))
            },
        ),
    );
    m.insert(
        "genSignedCertWithKey",
        Func::new(
            Signature::fixed(&[S, List, List, Int, CERTIFICATE, S]),
            |_, a| {
                let ca = ca_arg(a.get(4))?;
                let key = parse_private_key(str_arg(&a, 5))
                    .map_err(|e| format!("parsing private key: {e}"))?;
                ok(gen_signed(&a, &ca, &key))
            },
        ),
    );
    m.insert(
        "buildCustomCert",
        Func::new(Signature::fixed(&[S, S]), |_, a| {
            ok(build_custom_cert(str_arg(&a, 0), str_arg(&a, 1)))
        }),
    );
}

fn ok(r: Result<Certificate, String>) -> Result<Value, FuncError> {
    r.map(Certificate::into_value).map_err(FuncError::new)
}

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

fn list_arg(args: &[Value], i: usize) -> Vec<Value> {
    match args.get(i) {
        Some(Value::List(l)) => l.to_vec(),
        _ => Vec::new(),
    }
}

/// Sprig's `certificate` struct.
#[derive(Clone, Debug)]
pub(crate) struct Certificate {
    cert: String,
    key: String,
}

impl Certificate {
    fn into_value(self) -> Value {
        Value::Object(Arc::new(self))
    }
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn kind_name(&self) -> &'static str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.as_str())),
            "Key" => Some(Value::from(self.key.as_str())),
            _ => None,
        }
    }

    fn format(&self, plus: bool) -> String {
        if plus {
            format!("{{Cert:{} Key:{}}}", self.cert, self.key)
        } else {
            format!("{{{} {}}}", self.cert, self.key)
        }
    }
}

fn ca_arg(v: Option<&Value>) -> Result<Certificate, FuncError> {
    let v = v.cloned().unwrap_or(Value::Nil);
    if let Value::Object(o) = &v
        && o.type_name() == "sprig.certificate"
        && let (Some(Value::String(cert)), Some(Value::String(key))) =
            (o.field("Cert"), o.field("Key"))
    {
        return Ok(Certificate {
            cert: cert.to_string(),
            key: key.to_string(),
        });
    }
    Err(FuncError::new(format!(
        "wrong type for value; expected sprig.certificate; got {}",
        v.type_name()
    )))
}

// ---- keys ----

/// A private key of one of the kinds Sprig handles.
enum PrivKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    /// A key `ring` can sign with (P-256, P-384, Ed25519), as PKCS#8 DER, and the PEM Sprig
    /// writes for it.
    Other(Box<KeyPair>, String),
    /// A DSA key: Sprig parses it, but Go cannot sign certificates with it.
    Dsa(String),
}

impl PrivKey {
    /// The PEM text Sprig writes for the key (`pemBlockForKey`).
    fn pem(&self) -> Result<String, String> {
        match self {
            PrivKey::Rsa(k) => k
                .to_pkcs1_pem(LineEnding::LF)
                .map(|p| p.to_string())
                .map_err(|e| e.to_string()),
            PrivKey::Other(_, pem) | PrivKey::Dsa(pem) => Ok(pem.clone()),
        }
    }

    /// An rcgen key pair for signing; the error is Sprig's `error creating certificate: ...`.
    fn key_pair(&self) -> Result<KeyPair, String> {
        self.signer()
            .map_err(|e| format!("error creating certificate: {e}"))
    }

    fn signer(&self) -> Result<KeyPair, String> {
        match self {
            PrivKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
            PrivKey::Rsa(k) => {
                let pem = k.to_pkcs8_pem(LineEnding::LF).map_err(|e| e.to_string())?;
                KeyPair::from_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256)
                    .map_err(|e| e.to_string())
            }
            PrivKey::Other(kp, _) => {
                KeyPair::from_pem(&kp.serialize_pem()).map_err(|e| e.to_string())
            }
        }
    }
}

fn new_rsa_key(bits: usize) -> Result<PrivKey, String> {
    rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits)
        .map(|k| PrivKey::Rsa(Box::new(k)))
        .map_err(|e| format!("error generating rsa key: {e}"))
}

/// PEM-encodes DER bytes as Go's `pem.EncodeToMemory` does (64-column lines).
fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// Minimal DER writing for the structures Sprig's PEM blocks need.
fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

fn der_uint(be: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = be.iter().copied().skip_while(|b| *b == 0).collect();
    let mut body = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(&trimmed);
    der_tlv(0x02, &body)
}

/// Reads one DER element: (tag, body, rest).
fn der_read(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = d.split_first()?;
    let (&l0, mut rest) = rest.split_first()?;
    let len = if l0 < 0x80 {
        usize::from(l0)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, b| (a << 8) | usize::from(*b));
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// Go's `x509.MarshalECPrivateKey` for a P-256 key held as PKCS#8: the SEC 1 structure with the
/// curve named in `[0]`.
fn sec1_from_pkcs8(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let (_, info, _) = der_read(pkcs8)?;
    let (_, _version, rest) = der_read(info)?;
    let (_, _alg, rest) = der_read(rest)?;
    let (_, inner, _) = der_read(rest)?;
    let (priv_key, public) = ec_key_parts(inner)?;
    let mut body = der_uint(&[1]);
    body.extend(der_tlv(0x04, priv_key));
    body.extend(der_tlv(0xa0, &der_tlv(0x06, OID_P256)));
    if let Some(p) = public {
        body.extend(der_tlv(0xa1, &p));
    }
    Some(der_tlv(0x30, &body))
}

const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Go's `x509.MarshalPKCS8PrivateKey` for an Ed25519 key held as PKCS#8 (v1 or v2): version 0,
/// the algorithm, and the 32-byte seed, without the public key.
fn ed25519_v1(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let (_, info, _) = der_read(pkcs8)?;
    let (_, _version, rest) = der_read(info)?;
    let (_, alg, rest) = der_read(rest)?;
    let (_, oid, _) = der_read(alg)?;
    if oid != OID_ED25519 {
        return None;
    }
    let (_, inner, _) = der_read(rest)?;
    let (_, seed, _) = der_read(inner)?;
    let mut body = der_uint(&[0]);
    body.extend(der_tlv(0x30, &der_tlv(0x06, OID_ED25519)));
    body.extend(der_tlv(0x04, &der_tlv(0x04, seed)));
    Some(der_tlv(0x30, &body))
}

/// The private scalar and the optional `[1]` public key of a SEC 1 `ECPrivateKey`.
fn ec_key_parts(sec1: &[u8]) -> Option<(&[u8], Option<Vec<u8>>)> {
    let (_, ec, _) = der_read(sec1)?;
    let (_, _v, rest) = der_read(ec)?;
    let (_, priv_key, mut rest) = der_read(rest)?;
    let mut public = None;
    while let Some((tag, body, r)) = der_read(rest) {
        if tag == 0xa1 {
            public = Some(body.to_vec());
        }
        rest = r;
    }
    Some((priv_key, public))
}

/// Wraps a SEC 1 P-256 key into PKCS#8 (what `ring` reads).
fn pkcs8_from_sec1(sec1: &[u8]) -> Option<Vec<u8>> {
    let (priv_key, public) = ec_key_parts(sec1)?;
    let mut inner = der_uint(&[1]);
    inner.extend(der_tlv(0x04, priv_key));
    if let Some(p) = public {
        inner.extend(der_tlv(0xa1, &p));
    }
    let mut alg = der_tlv(0x06, OID_EC_PUBLIC_KEY);
    alg.extend(der_tlv(0x06, OID_P256));
    let mut body = der_uint(&[0]);
    body.extend(der_tlv(0x30, &alg));
    body.extend(der_tlv(0x04, &der_tlv(0x30, &inner)));
    Some(der_tlv(0x30, &body))
}

/// Sprig's `genPrivateKey`.
fn gen_private_key(kind: &str) -> String {
    let res: Result<String, String> = match kind {
        "" | "rsa" => new_rsa_key(4096).and_then(|k| k.pem()),
        "ecdsa" => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(|e| e.to_string())
            .and_then(|kp| {
                sec1_from_pkcs8(&kp.serialize_der())
                    .map(|d| pem_encode("EC PRIVATE KEY", &d))
                    .ok_or_else(|| "bad key encoding".to_string())
            }),
        "ed25519" => KeyPair::generate_for(&rcgen::PKCS_ED25519)
            .map_err(|e| e.to_string())
            .and_then(|kp| {
                ed25519_v1(&kp.serialize_der())
                    .map(|d| pem_encode("PRIVATE KEY", &d))
                    .ok_or_else(|| "bad key encoding".to_string())
            }),
        "dsa" => Ok(gen_dsa_pem()),
        _ => return format!("Unknown type {kind}"),
    };
    res.unwrap_or_else(|e| format!("failed to generate private key: {e}"))
}

/// A DSA (L2048, N256) key as Go's `DSA PRIVATE KEY` block: `SEQUENCE { 0, P, Q, G, Y, X }`.
fn gen_dsa_pem() -> String {
    let mut rng = rand::rngs::OsRng;
    let comps = dsa::Components::generate(&mut rng, dsa::KeySize::DSA_2048_256);
    let key = dsa::SigningKey::generate(&mut rng, comps);
    let vk = key.verifying_key();
    let c = vk.components();
    let mut body = der_uint(&[0]);
    for n in [c.p(), c.q(), c.g(), vk.y(), key.x()] {
        body.extend(der_uint(&n.to_bytes_be()));
    }
    pem_encode("DSA PRIVATE KEY", &der_tlv(0x30, &body))
}

/// Sprig's `parsePrivateKey`: PKCS#8, PKCS#1 RSA and SEC 1 EC keys in PEM.
fn parse_private_key(text: &str) -> Result<PrivKey, String> {
    let block = pem_decode(text).ok_or("no PEM data in input")?;
    match block.0.as_str() {
        "PRIVATE KEY" => {
            if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(&block.1) {
                return Ok(PrivKey::Rsa(Box::new(k)));
            }
            let pem = pem_encode("PRIVATE KEY", &block.1);
            let kp = KeyPair::from_pem(&pem).map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?;
            // Sprig writes the key back in Go's own form: SEC 1 for ECDSA, PKCS#8 v1 for
            // Ed25519.
            let alg = kp.algorithm();
            let out = if alg == &rcgen::PKCS_ED25519 {
                ed25519_v1(&block.1).map(|d| pem_encode("PRIVATE KEY", &d))
            } else if alg == &rcgen::PKCS_ECDSA_P256_SHA256 {
                sec1_from_pkcs8(&block.1).map(|d| pem_encode("EC PRIVATE KEY", &d))
            } else {
                None
            };
            Ok(PrivKey::Other(Box::new(kp), out.unwrap_or(pem)))
        }
        "RSA PRIVATE KEY" => rsa::RsaPrivateKey::from_pkcs1_der(&block.1)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC PRIVATE KEY" => {
            let pkcs8 = pkcs8_from_sec1(&block.1)
                .ok_or("parsing EC private key from PEM: malformed key")?;
            let kp = KeyPair::from_pem(&pem_encode("PRIVATE KEY", &pkcs8))
                .map_err(|e| format!("parsing EC private key from PEM: {e}"))?;
            Ok(PrivKey::Other(
                Box::new(kp),
                pem_encode("EC PRIVATE KEY", &block.1),
            ))
        }
        "DSA PRIVATE KEY" => {
            let valid = der_read(&block.1).is_some_and(|(tag, body, rest)| {
                tag == 0x30 && rest.is_empty() && count_elements(body) == 6
            });
            if !valid {
                return Err("parsing DSA private key from PEM: malformed key".into());
            }
            Ok(PrivKey::Dsa(pem_encode("DSA PRIVATE KEY", &block.1)))
        }
        t if !t.ends_with(" PRIVATE KEY") => {
            Err(format!("no private key data in PEM block of type {t}"))
        }
        t => Err(format!("invalid private key type {t}")),
    }
}

/// The number of DER elements in `body`.
fn count_elements(mut body: &[u8]) -> usize {
    let mut n = 0;
    while let Some((_, _, rest)) = der_read(body) {
        n += 1;
        body = rest;
    }
    n
}

/// The first PEM block: its type and decoded bytes.
fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let end_type = rest.find("-----")?;
    let kind = rest[..end_type].to_string();
    let body_start = &rest[end_type + 5..];
    let end_marker = format!("-----END {kind}-----");
    let end = body_start.find(&end_marker)?;
    let b64: String = body_start[..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some((kind, der))
}

// ---- certificates ----

fn base_params(
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days: i64,
) -> Result<CertificateParams, String> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    for ip in ips {
        let Some(s) = ip.as_str() else {
            return Err(format!(
                "error parsing ip: {} is not a string",
                gotmpl::gofmt::format_value(ip)
            ));
        };
        let addr: IpAddr = s.parse().map_err(|_| format!("error parsing ip: {s}"))?;
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        params.subject_alt_names.push(SanType::IpAddress(addr));
    }
    for name in dns {
        let Some(s) = name.as_str() else {
            return Err(format!(
                "error processing alternate dns name: {} is not a string",
                gotmpl::gofmt::format_value(name)
            ));
        };
        let ia5 = s
            .to_string()
            .try_into()
            .map_err(|e: rcgen::Error| e.to_string())?;
        params.subject_alt_names.push(SanType::DnsName(ia5));
    }
    let mut serial = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut serial);
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now;
    params.not_after = now + time::Duration::hours(24 * days);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    Ok(params)
}

fn gen_ca(cn: &str, days: i64, key: &PrivKey) -> Result<Certificate, String> {
    let mut params = base_params(cn, &[], &[], days)?;
    params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let kp = key.key_pair()?;
    let cert = params
        .self_signed(&kp)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: cert.pem().replace("\r\n", "\n"),
        key: key.pem()?,
    })
}

fn gen_self_signed(a: &[Value], key: &PrivKey) -> Result<Certificate, String> {
    let params = base_params(
        str_arg(a, 0),
        &list_arg(a, 1),
        &list_arg(a, 2),
        int_arg(a, 3),
    )?;
    let kp = key.key_pair()?;
    let cert = params
        .self_signed(&kp)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: cert.pem().replace("\r\n", "\n"),
        key: key.pem()?,
    })
}

fn gen_signed(a: &[Value], ca: &Certificate, key: &PrivKey) -> Result<Certificate, String> {
    if pem_decode(&ca.cert).is_none() {
        return Err("unable to decode certificate".into());
    }
    let ca_params = CertificateParams::from_ca_cert_pem(&ca.cert)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let ca_key = parse_private_key(&ca.key)
        .map_err(|e| format!("error parsing private key: {e}"))?
        .key_pair()?;
    let issuer = ca_params
        .self_signed(&ca_key)
        .map_err(|e| format!("error parsing certificate: {e}"))?;
    let params = base_params(
        str_arg(a, 0),
        &list_arg(a, 1),
        &list_arg(a, 2),
        int_arg(a, 3),
    )?;
    let kp = key.key_pair()?;
    let cert = params
        .signed_by(&kp, &issuer, &ca_key)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: cert.pem().replace("\r\n", "\n"),
        key: key.pem()?,
    })
}

/// Sprig's `buildCustomCert`: base64 PEM certificate and key, checked to parse.
fn build_custom_cert(b64_cert: &str, b64_key: &str) -> Result<Certificate, String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let crt = b64
        .decode(b64_cert)
        .map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = b64
        .decode(b64_key)
        .map_err(|_| "unable to decode base64 private key".to_string())?;
    let crt = String::from_utf8_lossy(&crt).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, der) = pem_decode(&crt).ok_or("unable to decode certificate")?;
    x509_parser::parse_x509_certificate(&der)
        .map_err(|e| format!("error parsing certificate: {e}"))?;
    if pem_decode(&key).is_none() {
        return Err("unable to decode private key".into());
    }
    parse_private_key(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate { cert: crt, key })
}
