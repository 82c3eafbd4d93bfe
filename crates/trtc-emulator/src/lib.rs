//! trtc-emulator
