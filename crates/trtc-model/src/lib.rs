//! trtc-model
