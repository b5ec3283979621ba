// Package shop holds the shop's version.
package shop

// Version is the shop's release.
const Version = "1.4." + 2
