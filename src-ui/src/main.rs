fn main() {
    // A panic stops the UI; say so on screen, not only in the web inspector's console.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        gatehouse_ui::show_fatal(&info.to_string());
    }));
    leptos::mount::mount_to_body(gatehouse_ui::App);
}
