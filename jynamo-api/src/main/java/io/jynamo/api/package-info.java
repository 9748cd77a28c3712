/** Types shared by every Jynamo module: error categories and, later, requests, outputs and KV events. */
package io.jynamo.api;
