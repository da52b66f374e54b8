/**
 * Clusters as Backstop knows them: generation, location, component endpoints, storage layout; the
 * rules their registration's names, URLs and paths follow ({@link
 * dev.backstop.core.cluster.RegistrationRules}); the preflight port that checks them, the directory
 * port the use cases look clusters up in, and who may see which ({@link
 * dev.backstop.core.cluster.ClusterAccess}).
 */
package dev.backstop.core.cluster;
