//! One update of the results per frame. The first change the reader makes is drawn at once (so
//! it reaches the screen in the next frame, as before); changes that come before that frame are
//! folded into one update at its start (`requestAnimationFrame`), so fast typing, or keys that
//! queued behind a slow update, cost one search and one redraw per frame instead of one each.
//! A hidden tab runs no animation frames: a timer draws the waiting change then.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{with, Inner};

/// How long a waiting change waits for an animation frame before a timer draws it.
const FALLBACK_MS: u32 = 100;

/// The frame after an update, until it starts.
pub(super) struct Frame {
    /// A change came after the update: the frame draws it.
    pub(super) waiting: bool,
    request: Option<(i32, Closure<dyn FnMut()>)>,
    _fallback: Timeout,
}

impl Frame {
    /// Calls `Inner::frame_started` at the start of the next frame, or after [`FALLBACK_MS`]
    /// when no frame comes first.
    pub(super) fn next(weak: &Weak<RefCell<Inner>>) -> Frame {
        let on_frame = weak.clone();
        let callback = Closure::once(move || with(&on_frame, Inner::frame_started));
        let request = web_sys::window()
            .and_then(|w| w.request_animation_frame(callback.as_ref().unchecked_ref()).ok())
            .map(|id| (id, callback));
        let weak = weak.clone();
        let fallback = Timeout::new(FALLBACK_MS, move || with(&weak, Inner::frame_started));
        Frame { waiting: false, request, _fallback: fallback }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        if let (Some((id, _)), Some(window)) = (&self.request, web_sys::window()) {
            let _ = window.cancel_animation_frame(*id);
        }
    }
}

impl Inner {
    /// Shows the filters now, or at the next frame when the results were drawn since the last one.
    pub(super) fn refresh_in_frame(&mut self) {
        match &mut self.frame {
            Some(frame) => frame.waiting = true,
            None => {
                self.refresh(false);
                self.frame = Some(Frame::next(&self.me));
            }
        }
    }

    /// A frame started (or the timer ran): draws the change that waited for it, if any.
    fn frame_started(&mut self) {
        let Some(frame) = self.frame.take() else { return };
        if frame.waiting {
            drop(frame);
            self.refresh(false);
            self.frame = Some(Frame::next(&self.me));
        }
    }
}
