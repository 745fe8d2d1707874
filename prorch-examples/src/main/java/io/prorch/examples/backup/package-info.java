/**
 * The backup automation pipeline of the Python prorch's README, as a real program: archive a sample database
 * directory in the background, move the archive to secure storage and verify its checksum, then notify.
 */
package io.prorch.examples.backup;
