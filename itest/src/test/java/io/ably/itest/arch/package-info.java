/**
 * The architecture test: ArchUnit (and ASM) rules over the modules' bytecode, and the proof that
 * each rule can fail.
 */
package io.ably.itest.arch;
