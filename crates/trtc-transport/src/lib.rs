//! trtc-transport
