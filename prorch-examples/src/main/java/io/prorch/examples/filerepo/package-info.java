/**
 * An {@link io.prorch.repository.IRepository} written from scratch on one JSON file: the Java counterpart of the
 * Python prorch's TinyDB repository, and the worked example of the README's "Implementing IRepository".
 */
package io.prorch.examples.filerepo;
