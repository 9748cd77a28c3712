/** What a request asks of an engine: sampling, stop conditions and output options, validated on construction. */
package io.jynamo.api.request;
