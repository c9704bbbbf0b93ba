//! `#[command]`: what every desktop command handler carries, written once.
//!
//! A handler is a Tauri command with a log span named after it. Written by hand, that was
//! six lines of attributes above every handler, and the span's name could drift from the
//! function's. The attribute also refuses a handler whose name `gatehouse-types` does not
//! declare, at compile time, so the contract and the shell cannot disagree on a name.

use proc_macro::TokenStream;
use quote::quote;
use syn::{ItemFn, parse_macro_input};

/// Marks an `async fn verb_noun(req: VerbNoun, …) -> Result<_, Failure>` as the handler of
/// the command `verb_noun`: registers it with Tauri and opens a `command` span whose field
/// `command` is its name. Arguments are never recorded (they may carry a secret); a
/// failure is recorded by its message, at debug level.
#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr = proc_macro2::TokenStream::from(attr);
        return syn::Error::new_spanned(attr, "#[command] takes no arguments")
            .to_compile_error()
            .into();
    }
    let handler = parse_macro_input!(item as ItemFn);
    let name = handler.sig.ident.to_string();
    if !gatehouse_types::COMMAND_NAMES.contains(&name.as_str()) {
        let message =
            format!("`{name}` is not a command declared in gatehouse-types' `commands!` list");
        return syn::Error::new_spanned(&handler.sig.ident, message)
            .to_compile_error()
            .into();
    }
    quote! {
        #[::tauri::command]
        #[::tracing::instrument(
            name = "command",
            skip_all,
            fields(command = #name),
            err(Display, level = "debug")
        )]
        #handler
    }
    .into()
}
