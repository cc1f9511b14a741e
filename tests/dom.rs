//! The DOM module in a real browser (headless Chromium through wasm-bindgen-test): an `Embed`
//! mounted on an element, fed from `data:` URLs so no server is needed.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Reflect};
use release_embed::exports::Embed;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const FEED: &str = r#"{"version":"1","releases":[
  {"id":"old","title":"Older release","date":"2017-01-05","summary":"An older one."},
  {"id":"new","title":"Newer <release>","date":"2019-03-02","body":"Body with **bold**.\n\n<script>window.pwned=1</script>",
   "related_links":[{"title":"The letter","url":"https://ag.example.gov/letter.pdf"}],"url":"https://ag.example.gov/news/new"},
  {"id":"bad","title":"No date"}
]}"#;

fn data_url(json: &str) -> String {
    format!("data:application/json,{}", js_sys::encode_uri_component(json))
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), &(*v).into()).unwrap();
    }
    o.into()
}

fn host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

fn root(host: &HtmlElement) -> web_sys::ShadowRoot {
    host.shadow_root().expect("the widget attaches a shadow root")
}

fn texts(host: &HtmlElement, selector: &str) -> Vec<String> {
    let list = root(host).query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.text_content()).collect()
}

fn find(host: &HtmlElement, selector: &str) -> Option<Element> {
    root(host).query_selector(selector).unwrap()
}

/// Waits (up to 3 s) until `selector` matches inside the widget.
async fn wait_for(host: &HtmlElement, selector: &str) -> Element {
    for _ in 0..300 {
        if let Some(el) = find(host, selector) {
            return el;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("{selector} never appeared; widget shows: {:?}", root(host).inner_html());
}

fn reset_url() {
    let history = web_sys::window().unwrap().history().unwrap();
    history.replace_state_with_url(&JsValue::NULL, "", Some("?")).unwrap();
}

#[wasm_bindgen_test]
async fn lists_releases_newest_first_with_escaped_titles_and_the_undated_last() {
    reset_url();
    let host = host();
    let _embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED))])).unwrap();
    wait_for(&host, ".re-item").await;
    assert_eq!(texts(&host, ".re-item-title"), ["Newer <release>", "Older release", "No date"]);
    assert_eq!(find(&host, "time").unwrap().get_attribute("datetime").as_deref(), Some("2019-03-02"));
    assert!(host.get_attribute("aria-busy").is_none());
}

#[wasm_bindgen_test]
async fn opening_a_release_updates_the_url_and_focuses_its_title() {
    reset_url();
    let host = host();
    let _embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED)), ("urlKey", "t1")])).unwrap();
    let link: HtmlElement = wait_for(&host, "[data-re-open=\"new\"]").await.unchecked_into();
    link.click();
    let title = wait_for(&host, "#re-title").await;
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert_eq!(search, "?t1-release=new");
    assert_eq!(root(&host).active_element().as_ref(), Some(&title), "focus moves to the opened release");
    assert_eq!(texts(&host, ".re-related a"), ["The letter"]);
    // Raw HTML in the body goes through the cleaner: the script is dropped, the Markdown stays.
    assert!(find(&host, ".re-body script").is_none());
    assert_eq!(texts(&host, ".re-body p"), ["Body with bold."]);
    assert_eq!(texts(&host, ".re-body strong"), ["bold"]);
    assert!(Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap().is_undefined());
}

#[wasm_bindgen_test]
async fn a_feed_that_is_not_json_shows_a_message_not_a_blank_widget() {
    let host = host();
    let _embed = Embed::new(host.clone(), options(&[("src", "data:application/json,{oops")])).unwrap();
    let error = wait_for(&host, ".re-error").await;
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert!(error.text_content().unwrap().starts_with("Releases could not be loaded: the feed is not valid JSON."));
    assert!(find(&host, "[data-re-action=retry]").is_some());
}

#[wasm_bindgen_test]
async fn an_unknown_fixed_release_says_so() {
    let host = host();
    let _embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED)), ("release", "nope")])).unwrap();
    let notice = wait_for(&host, ".re-notice").await;
    for _ in 0..100 {
        if notice.is_connected() && notice.text_content().unwrap().contains("nope") {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    let text = find(&host, ".re-notice").unwrap().text_content().unwrap();
    assert_eq!(text, "There is no release with the id \u{201c}nope\u{201d} in this feed.");
}

#[wasm_bindgen_test]
async fn update_switches_the_fixed_release_without_refetching() {
    let host = host();
    let embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED)), ("release", "old")])).unwrap();
    wait_for(&host, "#re-title").await;
    assert_eq!(texts(&host, "#re-title"), ["Older release"]);
    assert!(find(&host, ".re-back").is_none(), "a fixed release has no way back to a list");
    embed.update(options(&[("src", &data_url(FEED)), ("release", "new")])).unwrap();
    assert_eq!(texts(&host, "#re-title"), ["Newer <release>"], "rendered at once from the loaded feed");
}

#[wasm_bindgen_test]
async fn destroy_removes_content_and_stops_listening() {
    reset_url();
    let host = host();
    let embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED))])).unwrap();
    let link: HtmlElement = wait_for(&host, "[data-re-open]").await.unchecked_into();
    embed.destroy();
    assert_eq!(root(&host).child_element_count(), 0, "nothing left in the shadow root");
    // A click on a stale node is no longer handled: the widget's click listener is gone. The
    // test's own listener records that and stops the browser from following the link.
    root(&host).append_child(&link).unwrap();
    let handled = std::rc::Rc::new(std::cell::Cell::new(None));
    let seen = handled.clone();
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    let _spy = gloo_events::EventListener::new_with_options(&host, "click", options, move |event| {
        seen.set(Some(event.default_prevented()));
        event.prevent_default();
    });
    link.click();
    assert_eq!(handled.get(), Some(false), "nothing in the widget handled the click");
    assert_eq!(web_sys::window().unwrap().location().search().unwrap(), "");
}

#[wasm_bindgen_test]
fn options_of_the_wrong_shape_are_a_js_error() {
    let result = Embed::new(host(), JsValue::from_str("not an object"));
    assert!(result.is_err());
}

/// The message of the JS `Error` a call threw.
fn message(e: wasm_bindgen::JsError) -> String {
    Reflect::get(&JsValue::from(e), &"message".into()).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn an_option_or_filter_of_the_wrong_kind_is_a_js_error_that_names_it() {
    let o = options(&[("src", &data_url(FEED))]);
    Reflect::set(&o, &"pageSize".into(), &JsValue::from_f64(3.0)).unwrap();
    let embed = Embed::new(host(), o.clone()).expect("a number or text for pageSize");
    Reflect::set(&o, &"lang".into(), &JsValue::from_f64(5.0)).unwrap();
    let Err(e) = Embed::new(host(), o.clone()) else { panic!("lang: 5 accepted") };
    assert_eq!(message(e), "release-embed: invalid options: lang is not text");
    // Two wrong: the first in the options' order is named.
    Reflect::set(&o, &"timeout".into(), &JsValue::TRUE).unwrap();
    let Err(e) = Embed::new(host(), o.clone()) else { panic!("timeout: true accepted") };
    assert_eq!(message(e), "release-embed: invalid options: timeout is not a number or text");
    Reflect::set(&o, &"src".into(), &JsValue::from_f64(1.0)).unwrap();
    let Err(e) = Embed::new(host(), o) else { panic!("src: 1 accepted") };
    assert_eq!(message(e), "release-embed: invalid options: src is not text");

    let filters = |json: &str| js_sys::JSON::parse(json).unwrap();
    assert!(embed
        .set_filters(filters(r#"{"tags":["Fraud"],"years":[2019],"sort":"oldest","page":1,"to":null}"#))
        .is_ok());
    for (json, said) in [
        (r#"{"sort":"sideways"}"#, "sort \u{201c}sideways\u{201d} is not relevance, newest or oldest"),
        (r#"{"tags":"Fraud"}"#, "tags is not a list of the right kind"),
        (r#"{"years":[2019.5]}"#, "years is not a list of the right kind"),
        (r#"{"page":-1}"#, "page is not a whole number"),
        ("7", "filters must be an object"),
    ] {
        let Err(e) = embed.set_filters(filters(json)) else { panic!("{json} accepted") };
        assert_eq!(message(e), format!("release-embed: invalid filters: {said}"), "{json}");
    }
}

/// Types into the widget's search box the way a browser reports it: value, then an `input` event.
fn type_into(host: &HtmlElement, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = find(host, selector).unwrap().unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn typing_filters_in_place_and_keeps_focus_in_the_box() {
    reset_url();
    let host = host();
    let _embed = Embed::new(host.clone(), options(&[("src", &data_url(FEED)), ("urlKey", "t2")])).unwrap();
    let input: HtmlElement = wait_for(&host, "input.re-search:not([disabled])").await.unchecked_into();
    input.focus().unwrap();
    assert_eq!(texts(&host, ".re-count"), ["3 releases"]);
    type_into(&host, "input.re-search", "NEWER");
    assert_eq!(texts(&host, ".re-count"), ["1 release"], "updated synchronously, within the event");
    assert_eq!(texts(&host, ".re-item-title mark"), ["Newer"]);
    assert_eq!(root(&host).active_element().as_ref(), Some(input.as_ref()), "the box was not redrawn");
    assert_eq!(web_sys::window().unwrap().location().search().unwrap(), "", "the URL waits for a pause in typing");
    TimeoutFuture::new(500).await;
    assert_eq!(web_sys::window().unwrap().location().search().unwrap(), "?t2-q=NEWER");
    type_into(&host, "input.re-search", "nothing-like-this");
    assert_eq!(texts(&host, ".re-empty p"), ["No releases match these filters."]);
}

/// Makes the page's `history.pushState` call `hook` after doing its job, the way analytics and
/// router scripts patch it; the patch is removed when the returned guard is dropped.
struct PatchedPushState(Option<wasm_bindgen::closure::Closure<dyn FnMut(JsValue, JsValue, JsValue)>>);

impl PatchedPushState {
    fn new(mut hook: impl FnMut() + 'static) -> PatchedPushState {
        let history = web_sys::window().unwrap().history().unwrap();
        let original: js_sys::Function = Reflect::get(&history, &"pushState".into()).unwrap().unchecked_into();
        let this = history.clone();
        let patch = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue, JsValue, JsValue)>::new(move |a, b, c| {
            original.call3(&this, &a, &b, &c).unwrap();
            hook();
        });
        Reflect::set(&history, &"pushState".into(), patch.as_ref()).unwrap();
        PatchedPushState(Some(patch))
    }
}

impl Drop for PatchedPushState {
    fn drop(&mut self) {
        let history = web_sys::window().unwrap().history().unwrap();
        Reflect::delete_property(&history, &"pushState".into()).unwrap();
        drop(self.0.take());
    }
}

/// A widget on the sample feed, in an `Rc` so that page code (a listener, a patch) can call it.
fn shared_embed(host: &HtmlElement, key: &str) -> std::rc::Rc<Embed> {
    std::rc::Rc::new(Embed::new(host.clone(), options(&[("src", &data_url(FEED)), ("urlKey", key)])).unwrap())
}

#[wasm_bindgen_test]
async fn a_call_made_from_inside_the_widgets_own_work_takes_effect_right_after_it() {
    reset_url();
    let host = host();
    let embed = shared_embed(&host, "t3");
    wait_for(&host, "[data-re-open]").await;
    let inside = embed.clone();
    let _patch = PatchedPushState::new(move || {
        inside.update(options(&[("src", &data_url(FEED)), ("urlKey", "t3"), ("sectionLabel", "Newsroom")])).unwrap();
    });
    embed.open(Some("new".into()));
    assert_eq!(texts(&host, "#re-title"), ["Newer <release>"], "the call that was running finished");
    assert_eq!(texts(&host, ".re-release .re-section"), ["Newsroom"], "and the one made inside it ran next");
}

#[wasm_bindgen_test]
async fn a_widget_destroyed_from_inside_its_own_work_is_gone_when_that_work_ends() {
    reset_url();
    let host = host();
    let embed = shared_embed(&host, "t4");
    wait_for(&host, "[data-re-open]").await;
    let inside = embed.clone();
    let _patch = PatchedPushState::new(move || inside.destroy());
    embed.open(Some("new".into()));
    assert_eq!(root(&host).child_element_count(), 0, "nothing left in the shadow root");
    embed.set_query("older".into());
    embed.refresh();
    assert_eq!(root(&host).child_element_count(), 0, "calls after destroy do nothing");
}

#[wasm_bindgen_test]
async fn events_reach_listeners_after_the_call_and_a_listener_may_change_the_widget() {
    reset_url();
    let host = host();
    let embed = shared_embed(&host, "t5");
    wait_for(&host, "[data-re-open]").await;
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let (seen, inside) = (heard.clone(), embed.clone());
    let _listener = gloo_events::EventListener::new(&host, "release-embed:filter", move |event| {
        let detail = event.unchecked_ref::<web_sys::CustomEvent>().detail();
        let query = Reflect::get(&detail, &"query".into()).unwrap().as_string().unwrap();
        seen.borrow_mut().push(query.clone());
        if query == "newer" {
            inside.set_query("older".into());
        }
    });
    embed.set_query("newer".into());
    assert!(heard.borrow().is_empty(), "not dispatched while the widget is working");
    assert_eq!(texts(&host, ".re-item-title"), ["Newer <release>"]);
    TimeoutFuture::new(0).await;
    assert_eq!(*heard.borrow(), ["newer", "older"]);
    assert_eq!(texts(&host, ".re-item-title"), ["Older release"], "the listener's change won");
}
