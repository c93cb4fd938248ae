/**
 * Micrometer metrics of CDI runs: register a {@link dev.cdi.micrometer.MicrometerRunListener} with the service.
 */
package dev.cdi.micrometer;
