//! Sprig functions: encodings (`b64enc b64dec b32enc b32dec`). A failed decode returns Go's
//! error text (`illegal base64 data at input byte N`) as the value, as Sprig does.

use base64::Engine as _;
use gotmpl::{FuncMap, Param};

use crate::util::{add, arg_str};

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add(m, "b64enc", &[Param::String], |a| {
        Ok(base64::engine::general_purpose::STANDARD
            .encode(arg_str(&a, 0))
            .into())
    });
    add(m, "b64dec", &[Param::String], |a| {
        Ok(match b64_decode(arg_str(&a, 0).as_bytes()) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(n) => format!("illegal base64 data at input byte {n}"),
        }
        .into())
    });
    add(m, "b32enc", &[Param::String], |a| {
        Ok(b32_encode(arg_str(&a, 0).as_bytes()).into())
    });
    add(m, "b32dec", &[Param::String], |a| {
        Ok(match b32_decode(arg_str(&a, 0).as_bytes()) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(n) => format!("illegal base32 data at input byte {n}"),
        }
        .into())
    });
}

fn b32_encode(src: &[u8]) -> String {
    let mut out = String::new();
    for chunk in src.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let nchars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < nchars {
                out.push(B32[((v >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodeString`: the bytes, or the offset Go reports.
pub(crate) fn b64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let val = |c: u8| B64.iter().position(|x| *x == c).map(|p| p as u32);
    let mut out = Vec::new();
    let mut si = 0;
    loop {
        let mut dbuf = [0u32; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut end = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = val(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            dlen = j;
            end = true;
            break;
        }
        let v = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if end {
            return Ok(out);
        }
    }
}

/// Go's `base32.StdEncoding.DecodeString` (newlines removed first).
fn b32_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = src
        .iter()
        .copied()
        .filter(|c| *c != b'\n' && *c != b'\r')
        .collect();
    let olen = src.len();
    let val = |c: u8| B32.iter().position(|x| *x == c).map(|p| p as u64);
    let mut out = Vec::new();
    let mut s = &src[..];
    let mut end = false;
    while !s.is_empty() && !end {
        let mut dbuf = [0u64; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if s.is_empty() {
                return Err(olen - s.len() - j);
            }
            let c = s[0];
            s = &s[1..];
            if c == b'=' && j >= 2 && s.len() < 8 {
                if s.len() + j < 8 - 1 {
                    return Err(olen);
                }
                for k in 0..8 - 1 - j {
                    if s.len() > k && s[k] != b'=' {
                        return Err(olen - s.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - s.len() - 1);
                }
                break;
            }
            match val(c) {
                Some(v) => dbuf[j] = v,
                None => return Err(olen - s.len() - 1),
            }
            j += 1;
        }
        let v = dbuf.iter().fold(0u64, |acc, d| (acc << 5) | d);
        let bytes = [
            (v >> 32) as u8,
            (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}
