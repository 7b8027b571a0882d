/**
 * The simulated Cluster Network Operator (operator.ts), the cluster operators and ClusterVersion
 * (../operators) and Prometheus (../monitoring), all driven only by objects in the Store.
 *
 * The CNO renders (render.ts): namespaces openshift-sdn | openshift-ovn-kubernetes | openshift-kuryr and
 * openshift-multus; DaemonSets openshift-sdn/sdn, openshift-sdn/sdn-controller (masters),
 * openshift-ovn-kubernetes/ovnkube-node (+ ovn-ipsec-host with IPsec Full), Deployment
 * openshift-ovn-kubernetes/ovnkube-control-plane (masters), openshift-kuryr/kuryr-cni + Deployment
 * kuryr-controller, openshift-multus/multus, multus-additional-cni-plugins, network-metrics-daemon; ConfigMaps
 * sdn-config, ovnkube-config, ovnkube-script-lib, openshift-multus/multus-daemon-config and
 * openshift-network-operator/applied-cluster. It writes network.operator spec (clusterconfig) and status,
 * network.config status, node `k8s.ovn.org/*` annotations, and feature-migration objects.
 */
import type { Controller } from "../../types.ts";
import { ClusterOperatorsController } from "../operators/index.ts";
import { PrometheusController } from "../monitoring/index.ts";
import { NetworkOperatorController } from "./operator.ts";

export function cnoControllers(): Controller[] {
  return [new NetworkOperatorController(), new ClusterOperatorsController(), new PrometheusController()];
}
