//! Measured flow through a session: imports stored in the model file (idempotent re-imports,
//! bad input that changes nothing, cancel), the mapping as a model edit, and the flow, DORA,
//! forecast and calibration figures over what the file holds, against hand calculations.

mod bad_input;
mod calibrate;
mod common;
mod dora;
mod fetch;
mod flow;
mod forecast;
mod imports;
mod real;
mod reference;
