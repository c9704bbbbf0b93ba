//! Record builders shared by the integration tests.
#![allow(dead_code)]

use gatehouse_cache::{Invite, Signup, User};
use serde_json::{Value, json};

pub fn user(n: u32, handle: &str) -> User {
    User {
        id: format!("{n:024x}"),
        handle: handle.into(),
        user_name: format!("Name {n}"),
        status: "active".into(),
        locale: "EN".into(),
        login_provider: "email".into(),
        meta_data: json!({"n": n}),
        created_at: 1_700_000_000_000 + i64::from(n),
        updated_at: 1_700_000_000_000 + i64::from(n),
        last_login: None,
    }
}

pub fn invite(n: u32, handle: &str, status: &str) -> Invite {
    Invite {
        id: format!("i{n:023x}"),
        handle: handle.into(),
        sender_handle: "boss@example.com".into(),
        sender_user_id: "superuser".into(),
        status: status.into(),
        code: "123456".into(),
        meta_data: Value::Null,
        created_at: 1_700_000_000_000,
    }
}

pub fn signup(n: u32, handle: &str, code: i64) -> Signup {
    Signup {
        id: format!("s{n:023x}"),
        handle: handle.into(),
        code,
        status: "verified".into(),
        meta_data: json!({}),
        created_at: 1_700_000_000_000,
    }
}
