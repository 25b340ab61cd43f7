#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzz::agreement_package(data));
