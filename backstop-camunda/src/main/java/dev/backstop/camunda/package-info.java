/**
 * Adapters to the Camunda components' own management APIs (Zeebe, Operate, Tasklist, Optimize)
 * and to the search engine's snapshot API. The one place that knows how the Camunda generations
 * differ (the 8.2–8.7 order against 8.8's). All of them speak through {@link
 * dev.backstop.camunda.JsonHttp}; a cluster's search engine credentials and CAs are added per
 * cluster ({@code ComponentHttp}), so that the credentials go to the search engine only.
 */
package dev.backstop.camunda;
