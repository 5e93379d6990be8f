//! Random templates must never panic the engine or overflow the stack.
