//! Health sources: professional directories, APL, BPE, FINESS, ages, patients without GP, travel
//! times, and the shipped health data with its import.

pub mod ages;
pub mod apl;
pub mod bpe;
pub mod data;
pub mod directories;
pub mod finess;
pub mod import;
pub mod patients;
pub mod travel_times;
