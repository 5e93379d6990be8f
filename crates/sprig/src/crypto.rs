//! Sprig functions: crypto and random (`sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`,
//! `bcrypt`, `htpasswd`, `derivePassword`, `encryptAES`, `decryptAES`, `randAlphaNum`,
//! `randAlpha`, `randAscii`, `randNumeric`, `randBytes`, `randInt`, `uuidv4`; keys and
//! certificates live in [`certs`]).
//!
//! Hashes, `derivePassword` and `decryptAES` are deterministic and match Helm byte for byte
//! (including the Go runtime panics `decryptAES` turns into errors); the others draw from the OS
//! random source, as Sprig does, and only their shape can be compared.

mod certs;

use aes::Aes256;
use base64::Engine as _;
use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use gotmpl::{Func, FuncError, FuncMap, Param, Signature, Value};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    use Param::{Int, String as S};
    let hash = |f: fn(&[u8]) -> String| {
        Func::infallible(Signature::fixed(&[S]), move |_, a| {
            Value::from(f(s(&a, 0).as_bytes()))
        })
    };
    m.insert("sha1sum", hash(|b| hex(&Sha1::digest(b))));
    m.insert("sha256sum", hash(|b| hex(&Sha256::digest(b))));
    m.insert("sha512sum", hash(|b| hex(&Sha512::digest(b))));
    m.insert("adler32sum", hash(|b| adler2::adler32_slice(b).to_string()));
    m.insert(
        "bcrypt",
        Func::infallible(Signature::fixed(&[S]), |_, a| {
            Value::from(bcrypt_hash(s(&a, 0)))
        }),
    );
    m.insert(
        "htpasswd",
        Func::infallible(Signature::fixed(&[S, S]), |_, a| {
            let user = s(&a, 0);
            if user.contains(':') {
                return Value::from(format!("invalid username: {user}"));
            }
            Value::from(format!("{user}:{}", bcrypt_hash(s(&a, 1))))
        }),
    );
    m.insert(
        "derivePassword",
        Func::infallible(Signature::fixed(&[Int, S, S, S, S]), |_, a| {
            let counter = match a.first() {
                Some(Value::Int(n) | Value::Int64(n)) => *n as u32,
                _ => 0,
            };
            Value::from(derive_password(
                counter,
                s(&a, 1),
                s(&a, 2),
                s(&a, 3),
                s(&a, 4),
            ))
        }),
    );
    m.insert(
        "encryptAES",
        Func::new(Signature::fixed(&[S, S]), |_, a| {
            Ok(Value::from(encrypt_aes(s(&a, 0), s(&a, 1))))
        }),
    );
    m.insert(
        "decryptAES",
        Func::new(Signature::fixed(&[S, S]), |_, a| {
            Ok(Value::from(decrypt_aes(s(&a, 0), s(&a, 1))?))
        }),
    );
    const ALPHA: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const DIGITS: &str = "0123456789";
    for (name, set) in [
        ("randAlphaNum", format!("{ALPHA}{DIGITS}")),
        ("randAlpha", ALPHA.to_string()),
        ("randNumeric", DIGITS.to_string()),
        ("randAscii", (32u8..=126).map(char::from).collect()),
    ] {
        let chars: Vec<char> = set.chars().collect();
        m.insert(
            name,
            Func::infallible(Signature::fixed(&[Int]), move |_, a| {
                let n = int(&a, 0);
                if n <= 0 {
                    return Value::from("");
                }
                let mut rng = rand::rngs::OsRng;
                let out: String = (0..n)
                    .map(|_| chars[rng.gen_range(0..chars.len())])
                    .collect();
                Value::from(out)
            }),
        );
    }
    m.insert(
        "randBytes",
        Func::new(Signature::fixed(&[Int]), |_, a| {
            let n = int(&a, 0);
            let n = usize::try_from(n)
                .map_err(|_| FuncError::new("runtime error: makeslice: len out of range"))?;
            let mut buf = vec![0u8; n];
            rand::rngs::OsRng.fill_bytes(&mut buf);
            Ok(Value::from(
                base64::engine::general_purpose::STANDARD.encode(&buf),
            ))
        }),
    );
    m.insert(
        "randInt",
        Func::new(Signature::fixed(&[Int, Int]), |_, a| {
            let (min, max) = (int(&a, 0), int(&a, 1));
            let span = max.wrapping_sub(min);
            if span <= 0 {
                return Err(FuncError::new("invalid argument to Intn"));
            }
            Ok(Value::Int(
                rand::rngs::OsRng.gen_range(0..span).wrapping_add(min),
            ))
        }),
    );
    m.insert(
        "uuidv4",
        Func::infallible(Signature::fixed(&[]), |_, _| {
            Value::from(uuid::Uuid::new_v4().to_string())
        }),
    );
    certs::register(m);
}

fn s(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

fn int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Go's `bcrypt.GenerateFromPassword(p, DefaultCost)` as Sprig prints it.
fn bcrypt_hash(password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    match bcrypt::hash_with_result(password, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// The Master Password (v3) site password templates, by Sprig's type names.
fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

const MASTER_SEED: &[u8] = b"com.lyndir.masterpassword";

/// Sprig's `derivePassword`: the Master Password algorithm (scrypt master key, HMAC-SHA256 site
/// seed, template characters).
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, 64).expect("valid scrypt parameters");
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_SEED.to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()];
    template
        .bytes()
        .enumerate()
        .map(|(i, t)| {
            let chars = template_chars(t);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect()
}

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let b = password.as_bytes();
    let n = b.len().min(32);
    key[..n].copy_from_slice(&b[..n]);
    key
}

/// Sprig's `encryptAES`: AES-256-CBC with the zero-padded password as key, PKCS#7 padding and a
/// random IV in front, base64.
fn encrypt_aes(password: &str, text: &str) -> String {
    let key = aes_key(password);
    let mut iv = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut iv);
    let enc = cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into());
    let ct = enc.encrypt_padded_vec_mut::<Pkcs7>(text.as_bytes());
    let mut out = iv.to_vec();
    out.extend_from_slice(&ct);
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Sprig's `decryptAES`, including the Go runtime errors its unchecked slicing raises.
fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, String> {
    let key = aes_key(password);
    let crypt = crate::encoding::b64_decode(crypt64.as_bytes())
        .map_err(|n| format!("illegal base64 data at input byte {n}"))?;
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let iv: [u8; 16] = iv.try_into().map_err(|_| "bad iv".to_string())?;
    let dec = cbc::Decryptor::<Aes256>::new(&key.into(), &iv.into());
    let plain = dec
        .decrypt_padded_vec_mut::<NoPadding>(body)
        .map_err(|_| "crypto/cipher: input not full blocks".to_string())?;
    let Some(&last) = plain.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let end = plain.len() as i64 - i64::from(last);
    if end < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{end}]"));
    }
    Ok(String::from_utf8_lossy(&plain[..end as usize]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_vectors() {
        assert_eq!(
            derive_password(1, "long", "password", "user", "example.com"),
            "ZedaFaxcZaso9*"
        );
        assert_eq!(adler2::adler32_slice(b"hello"), 103_547_413);
        assert_eq!(
            decrypt_aes("k", "AAAAAAAAAAAAAAAAAAAAAA==").unwrap_err(),
            "runtime error: index out of range [-1]"
        );
        assert_eq!(
            decrypt_aes("k", "QUJD").unwrap_err(),
            "runtime error: slice bounds out of range [:16] with capacity 3"
        );
        assert_eq!(
            decrypt_aes("k", "!!!").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        let c = encrypt_aes("secretkey", "plaintext");
        assert_eq!(decrypt_aes("secretkey", &c).unwrap(), "plaintext");
    }

    #[test]
    fn bcrypt_verifies() {
        let h = bcrypt_hash("pass");
        assert!(h.starts_with("$2a$10$") && h.len() == 60);
        assert!(bcrypt::verify("pass", &h).unwrap());
    }
}
