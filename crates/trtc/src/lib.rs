//! trtc
