//go:build race

package main

// raceDetector is true when the tests run under the race detector, which makes the
// CPU-bound validation of large files about ten times slower.
const raceDetector = true
