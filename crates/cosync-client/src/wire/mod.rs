//! The host's JSON records, as typed Rust values.
//!
//! Only this module knows the host's field names. Decoding is deliberately one-way:
//! these types are not `Serialize` (except the field definitions, which are also
//! sent), and none of them has a field for the host's secret fields (`password`,
//! `googleSecretKey`, `phoneCode`, `twoFactorCode`) nor a catch-all map, so serde drops
//! those fields on receipt and they can never be cached, shown or logged.

mod app;
pub(crate) mod lenient;
mod records;

pub use app::{App, AppSetting, MetaDataField, MetaDataInviteField};

pub use records::{
    AddedMetadata, CreatedInvites, Invite, InvitesPage, LogEntry, LogQuery, LogStatus, LogType,
    LogsPage, Readable, Signup, SignupsPage, Unreadable, User, UsersPage,
};

/// Declares a string enum of the wire whose unknown values are kept, not rejected.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this client does not know (kept as the host wrote it).
            Other(String),
        }

        impl $name {
            /// The value as the host writes it.
            pub fn as_wire(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(text) => text,
                }
            }

            /// Reads the host's value; unknown text becomes [`Self::Other`].
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Other(String::new())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::from_wire(&lenient::string_or_empty(d)?))
            }
        }
    };
}

wire_enum! {
    /// An app's state on the host.
    AppStatus {
        /// Serving its users.
        Active = "active",
        /// Suspended by the host's operator: its users cannot log in.
        Inactive = "inactive",
        /// Moved elsewhere.
        Migrated = "migrated",
    }
}

wire_enum! {
    /// A user's state. Anything but `active` blocks login.
    UserStatus {
        /// May log in.
        Active = "active",
        /// Suspended by an administrator.
        Suspend = "suspend",
    }
}

wire_enum! {
    /// An invitation's state; the portal shows `verified` as "active".
    InviteStatus {
        /// Sent, not yet accepted.
        Pending = "pending",
        /// Accepted: the invitee registered.
        Verified = "verified",
    }
}

wire_enum! {
    /// A signup record's state.
    SignupStatus {
        /// A code or link was sent and not yet used.
        Pending = "pending",
        /// Completed.
        Verified = "verified",
        /// Created without verification (flow `none`, social signup, or `addUser`).
        Active = "active",
    }
}

wire_enum! {
    /// How new users confirm their signup.
    SignupFlow {
        /// A six-digit code by e-mail.
        Code = "code",
        /// A link by e-mail.
        Link = "link",
        /// No confirmation.
        None = "none",
    }
}
