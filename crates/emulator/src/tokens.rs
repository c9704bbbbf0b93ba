//! RS256 JSON Web Tokens and the RSA keys that sign them.
//!
//! Tokens are signed with RSASSA-PKCS1-v1_5 over SHA-256, the `RS256` of RFC 7518.
//! 2048-bit key generation takes a noticeable fraction of a second, so a small pool
//! of fresh keys is kept filled by a background thread: creating an app or starting
//! a host rarely waits for one.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::rand_core::OsRng;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::error::Error;

const KEY_BITS: usize = 2048;
const POOL_SIZE: usize = 2;

/// A private key with what is derived from it, parsed once.
pub struct KeyPair {
    signer: SigningKey<Sha256>,
    verifier: VerifyingKey<Sha256>,
    private_pem: String,
    public_pem: String,
}

impl KeyPair {
    pub fn generate() -> Result<Self, Error> {
        Self::from_key(take_fresh_key()?)
    }

    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| Error::Key(e.to_string()))?;
        Self::from_key(key)
    }

    fn from_key(key: RsaPrivateKey) -> Result<Self, Error> {
        let private_pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| Error::Key(e.to_string()))?
            .to_string();
        let public: RsaPublicKey = key.to_public_key();
        let public_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| Error::Key(e.to_string()))?;
        Ok(KeyPair {
            signer: SigningKey::new(key),
            verifier: VerifyingKey::new(public),
            private_pem,
            public_pem,
        })
    }

    pub fn private_pem(&self) -> &str {
        &self.private_pem
    }

    /// The public key as the host publishes it: base64 of the PEM text.
    pub fn public_pem_base64(&self) -> String {
        STANDARD.encode(self.public_pem.as_bytes())
    }

    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string());
        let input = format!("{header}.{body}");
        let signature = self.signer.sign(input.as_bytes()).to_bytes();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// The claims of a token this key signed, or `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<Map<String, Value>> {
        let mut parts = token.trim().split('.');
        let (header, body, sig) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let head: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if head.get("alg")?.as_str()? != "RS256" {
            return None;
        }
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).ok()?.as_slice()).ok()?;
        let input = format!("{header}.{body}");
        self.verifier.verify(input.as_bytes(), &sig).ok()?;
        match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()? {
            Value::Object(claims) => Some(claims),
            _ => None,
        }
    }
}

static POOL: Mutex<Vec<RsaPrivateKey>> = Mutex::new(Vec::new());
static FILLING: AtomicBool = AtomicBool::new(false);

fn generate_key() -> Result<RsaPrivateKey, Error> {
    RsaPrivateKey::new(&mut OsRng, KEY_BITS).map_err(|e| Error::Key(e.to_string()))
}

fn take_fresh_key() -> Result<RsaPrivateKey, Error> {
    let pooled = POOL.lock().ok().and_then(|mut p| p.pop());
    refill_in_background();
    match pooled {
        Some(key) => Ok(key),
        None => generate_key(),
    }
}

/// Starts filling the pool unless a filler already runs.
pub fn refill_in_background() {
    if FILLING.swap(true, Ordering::SeqCst) {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("rsa-key-pool".into())
        .spawn(|| {
            loop {
                let short = POOL.lock().map(|p| p.len() < POOL_SIZE).unwrap_or(false);
                if !short {
                    break;
                }
                match generate_key() {
                    Ok(key) => {
                        if let Ok(mut pool) = POOL.lock() {
                            pool.push(key);
                        }
                    }
                    Err(_) => break,
                }
            }
            FILLING.store(false, Ordering::SeqCst);
        });
    if spawned.is_err() {
        FILLING.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_only_its_own_tokens() {
        let a = KeyPair::generate().unwrap();
        let b = KeyPair::from_pem(a.private_pem()).unwrap();
        let c = KeyPair::generate().unwrap();
        let mut claims = Map::new();
        claims.insert("scope".into(), "server".into());
        let token = a.sign(&claims);
        assert_eq!(
            b.verify(&token),
            Some(claims.clone()),
            "reloaded key must accept"
        );
        assert_eq!(c.verify(&token), None, "another key must reject");
        let tampered = token.replacen('.', ".e", 1);
        assert_eq!(a.verify(&tampered), None);
        assert_eq!(a.verify("not a token"), None);
    }
}
